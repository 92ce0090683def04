/**
 * verify runs a completed spec's proof tests again (docs/drift.md): the tests that were red on the
 * base when it completed, with `proof.command` as PROVE and GREEN run them, through the check
 * runner (sandbox, minimal environment, `commandTimeoutSec`, trusted workspaces only). Each test's
 * result is read from its runner's output as GREEN reads it; a failure its runner did not report
 * test by test is attributed as verify attributes a failing test command (testAttribution.ts).
 */
import { proofInvocations, type ProofTestRef, readTests } from '../proofTests';
import { trimErrorOutput } from '../process';
import type { OrchestratorConfig } from '../project/config';
import type { CheckRunner, TestRun } from './checkRunner';
import { blamedByFailure } from './testAttribution';
import type { CriterionProofNow, ProofTestNow, RecordedRequirement } from './types';

const DETAIL_CHARS = 1500;

/** Each criterion that had a test red on the base, with its tests' outcome today. */
export async function recheckProofs(
  config: OrchestratorConfig,
  checks: CheckRunner,
  requirements: readonly RecordedRequirement[],
): Promise<Map<string, CriterionProofNow>> {
  const criteria = requirements.flatMap((r) => r.criteria).filter((c) => (c.proof?.tests.length ?? 0) > 0);
  const refs: ProofTestRef[] = criteria.flatMap((c) =>
    c.proof!.tests.map((t) => ({ criterion: c.id, file: t.file, ...(t.test ? { name: t.test } : {}) })),
  );
  const outcomes = new Map<ProofTestRef, ProofTestNow>();
  const invocations = proofInvocations(config.proof, [...new Set(refs.map((r) => r.file))]);
  if (invocations.length === 0) {
    for (const ref of refs)
      outcomes.set(ref, {
        ...shown(ref),
        outcome: 'not-run',
        detail: 'no proof.command in .claude/orchestrator.yaml: the proof tests cannot be run',
      });
  }
  for (const { command, files, perFile } of invocations) {
    const mine = refs.filter((ref) => files.includes(ref.file));
    const first = outcomesOf(await checks.proof(command), mine, files, perFile === true);
    // Flaky is not red (issue 74): a failing proof command runs once more on the same code.
    const retry = first.some((o) => o.outcome === 'failed')
      ? outcomesOf(await checks.proof(command, true), mine, files, perFile === true)
      : undefined;
    first.forEach((outcome, i) => outcomes.set(mine[i]!, retry ? retried(outcome, retry[i]!) : outcome));
  }
  const result = new Map<string, CriterionProofNow>();
  for (const criterion of criteria) {
    const tests = refs.filter((ref) => ref.criterion === criterion.id).map((ref) => outcomes.get(ref)!);
    const now = tests.some((t) => t.outcome === 'failed')
      ? 'failing'
      : tests.every((t) => t.outcome === 'passed')
        ? tests.some((t) => t.flaky)
          ? 'flaky'
          : 'proven'
        : 'not-run';
    result.set(criterion.id, { criterion: criterion.id, then: criterion.proof!.status, now, tests });
  }
  return result;
}

function outcomesOf(
  run: TestRun,
  tests: readonly ProofTestRef[],
  files: readonly string[],
  perFile: boolean,
): ProofTestNow[] {
  const { outcome, exitCode = null, detail } = run.result;
  const ran = { command: run.command, exitCode };
  if (outcome === 'not-run')
    return tests.map((ref) => ({ ...shown(ref), outcome: 'not-run', ...(detail ? { detail } : {}) }));
  const readings = readTests(run.output, exitCode, tests, { files, perFile });
  // What the runner did not report test by test, the failure's output may still name (its file, its criterion id).
  const blamed = blamedByFailure(
    run.output,
    files,
    tests.map((t) => t.criterion),
  );
  const attributed = blamed.files.size > 0 || blamed.ids.size > 0;
  return tests.map((ref, i): ProofTestNow => {
    const { verdict, output: own } = readings[i]!;
    if (verdict === 'passed') return { ...shown(ref), outcome: 'passed', ...ran };
    const output = trimErrorOutput(own || run.output, DETAIL_CHARS);
    if (verdict === 'failed') return { ...shown(ref), outcome: 'failed', ...ran, detail: output };
    // Unreported and the command failed: it fails when the failure names it, or names nothing at all (it cannot be told apart).
    if (!attributed || blamed.files.has(ref.file) || blamed.ids.has(ref.criterion)) {
      return {
        ...shown(ref),
        outcome: 'failed',
        ...ran,
        detail: `not reported by its runner, and the command failed (exit ${exitCode ?? 'none'})\n${output}`.trim(),
      };
    }
    return {
      ...shown(ref),
      outcome: 'not-run',
      ...ran,
      detail: `not reported by its runner; the command's failure is another test's (${[...blamed.files, ...blamed.ids].join(', ')})`,
    };
  });
}

/** A failure that passes on its retry is flaky, its first output kept; failing again, it stays red. */
function retried(first: ProofTestNow, again: ProofTestNow): ProofTestNow {
  if (first.outcome !== 'failed') return first;
  if (again.outcome !== 'passed')
    return { ...first, detail: `failed again on the retry\n${first.detail ?? ''}`.trim() };
  return { ...again, flaky: true, detail: `failed, then passed on the retry\n${first.detail ?? ''}`.trim() };
}

function shown(ref: ProofTestRef): Pick<ProofTestNow, 'file' | 'test'> {
  return { file: ref.file, ...(ref.name ? { test: ref.name } : {}) };
}
