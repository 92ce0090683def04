/**
 * PROVE (docs/proof.md): after the spec is approved and before any layer writes, the proof agent
 * writes a test per acceptance criterion inside `proof.tests`; the orchestrator runs them on the
 * base and sends back each that passes there (vacuous) or cannot run (broken), up to
 * `proof.maxRounds`; then their hashes are journaled and they are frozen for the run. A run
 * stopped here resumes here; once frozen, PROVE never runs again, so no resume rewrites them.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import picomatch from 'picomatch';
import type { FinalCheck, ProofReport, ProofTest } from '../../agents';
import type { ProofRed } from '../../events';
import type { Message } from '../../llm';
import { modelFor } from '../../project/config';
import { namedPaths, type Spec } from '../../project/specs';
import { type Criterion, parseRequirements, proofOfRun } from '../../trace';
import type { StateEvent } from '../../journal';
import { assembleContext, PROOF_AGENT, runPipelineAgent } from '../agent';
import { type RunContext, untrustedStopped } from '../kernel';
import { exampleTest, namedFiles, propertyLibraries } from './proofInputs';
import { idPattern, proofPackageFiles, type ProofTestRef } from '../../proofTests';
import { missingBuildOutput, missingWhatSpecAdds, specAdds, type SpecAdds } from './proofOutcome';
import { proofSystem, proofTask, sentBackMessage } from './proofPrompts';
import { runProofTests, type TestRun } from './proofRun';
import { formatProofTests } from './proofFormat';
import { proofMode } from './proofSettings';

export const PROOF_MAX_TOKENS = 16384;

/** The spec's acceptance criteria with their ids, in order (what PROVE, REVIEW and verify judge). */
export function specCriteria(specBody: string): Criterion[] {
  return parseRequirements(specBody).requirements.flatMap((r) => r.criteria);
}

/** Whether PROVE has work in this run: proof on, and a spec with criteria. The reason when not. */
export function proveSkipReason(ctx: RunContext, spec: Spec): string | undefined {
  const { mode, why } = proofMode(ctx.config);
  if (mode === 'off') return why;
  if (specCriteria(spec.body).length === 0)
    return 'proof per criterion: the spec has no acceptance criteria with ids (REQ-1.1 …), so nothing is proven; the review judges the change';
  return undefined;
}

export async function provePhase(ctx: RunContext, spec: Spec): Promise<void> {
  if (proveSkipReason(ctx, spec) || latestFrozen(ctx.events)) return;
  await proveRounds(ctx, spec, specCriteria(spec.body), {});
}

/**
 * A change request approved after the tests were frozen went through the spec gate: PROVE runs
 * again for the criteria it reworded and for new criteria, on the code as it
 * is (what the amendment asks is not there yet, so those tests must fail on it). The other tests
 * stay frozen, for the proof agent too.
 */
export async function proveAmended(ctx: RunContext, spec: Spec): Promise<void> {
  const frozen = latestFrozen(ctx.events);
  if (!frozen || proveSkipReason(ctx, spec)) return;
  const amended = ctx.events.some((e) => e.type === 'change.approved' && (e.seq ?? 0) > frozen.seq);
  if (!amended) return;
  const proofs = proofOfRun(ctx.events);
  // New criteria, and those whose words changed: their tests were written from other words.
  const touched = specCriteria(spec.body).filter(
    (c) => !proofs.has(c.id) || (frozen.criteria[c.id] !== undefined && frozen.criteria[c.id] !== c.text),
  );
  if (touched.length === 0) {
    // Nothing of the proof changes: the amendment is marked as seen with the same hashes.
    ctx.emit({ type: 'proof.frozen', hashes: frozen.hashes, criteria: frozen.criteria });
    return;
  }
  const ids = new Set(touched.map((c) => c.id));
  const keep = Object.keys(frozen.hashes).filter(
    (file) => ![...proofs].some(([id, p]) => ids.has(id) && p.tests.some((t) => t.file === file)),
  );
  ctx.emit({
    type: 'log',
    level: 'info',
    message: `The spec was amended: PROVE runs again for ${[...ids].join(', ')} (the other proof tests stay frozen)`,
  });
  await proveRounds(ctx, spec, touched, { keep, previous: frozen });
}

/** The proof agent's rounds for `criteria`, each followed by RED; then the tests are frozen. */
async function proveRounds(
  ctx: RunContext,
  spec: Spec,
  criteria: readonly Criterion[],
  opts: { keep?: string[]; previous?: Frozen },
): Promise<void> {
  if (!ctx.host.isTrusted()) throw untrustedStopped('running the proof tests');
  const { tests: globs, command, maxRounds } = ctx.config.proof;
  const example = await exampleTest(ctx);
  const brief = {
    criteria,
    spec: spec.body,
    named: await namedFiles(ctx, spec.body),
    ...(example ? { example } : {}),
    ...(await propertyLibraries(ctx, spec.body, criteria, example?.path).then((properties) =>
      properties ? { properties } : {},
    )),
    ...(ctx.facts().diagnosis ? { bugfix: { rootCause: ctx.facts().diagnosis!.rootCause } } : {}),
  };
  const adds = await specAdds(ctx.workspace, spec.body, namedPaths(spec.body));
  const check = submissionCheck(ctx, criteria);
  let previous: { conversation?: Message[]; session?: string } = {};
  let sentBack: { run: TestRun; red: 'passed' | 'broken' }[] = [];
  let submitted: ProofTest[] = [];
  for (let round = 1; round <= maxRounds + 1; round++) {
    ctx.emit({ type: 'proof.started', round, criteria: criteria.map((c) => c.id) });
    const continued = round > 1 && (previous.conversation || previous.session);
    const result = await runPipelineAgent(ctx, {
      name: PROOF_AGENT,
      mode: 'prove',
      attempt: round,
      model: modelFor(ctx.config, PROOF_AGENT),
      maxTokens: PROOF_MAX_TOKENS,
      system: proofSystem(globs, command),
      context: await assembleContext(ctx, PROOF_AGENT, {
        name: spec.frontMatter.entity ?? null,
        pattern: spec.frontMatter.pattern ?? null,
      }),
      task: continued
        ? sentBackMessage(sentBack, round - 1, maxRounds)
        : [proofTask(brief), round > 1 ? sentBackMessage(sentBack, round - 1, maxRounds) : '']
            .filter(Boolean)
            .join('\n\n'),
      ...(continued && previous.conversation ? { continues: previous.conversation } : {}),
      ...(continued && previous.session ? { session: previous.session } : {}),
      owns: [...globs],
      ...(opts.keep?.length ? { frozen: opts.keep } : {}),
      finalTool: 'submit_proof',
      checkFinal: check,
      maxTurns: ctx.config.limits.maxAgentTurns,
    });
    previous = {
      ...(result.conversation ? { conversation: result.conversation } : {}),
      ...(result.session ? { session: result.session } : {}),
    };
    submitted = result.final.tests;
    // Python proof tests never share a module name with the project's (proofTests/proofPackages.ts).
    const testFiles = submitted.flatMap((t) => (t.file ? [t.file] : []));
    for (const init of proofPackageFiles(globs, testFiles, (file) => existsSync(join(ctx.workspace, file))))
      await writeFile(join(ctx.workspace, init), '');
    await formatProofTests(
      ctx,
      submitted.flatMap((t) => (t.file && !opts.keep?.includes(t.file) ? [t.file] : [])),
      example?.path,
    );
    const reds = await redRun(ctx, submitted, adds);
    sentBack = reds.filter(
      (r): r is { run: TestRun; red: 'passed' | 'broken' } => r.red === 'passed' || r.red === 'broken',
    );
    if (sentBack.length === 0 || round > maxRounds) break;
    ctx.emit({
      type: 'proof.sentBack',
      round,
      tests: sentBack.map(({ run, red }) => ({
        criterion: run.test.criterion,
        file: run.test.file,
        red,
        output: run.output,
      })),
    });
  }
  const written = await hashFiles(
    ctx.workspace,
    submitted.flatMap((t) => (t.file ? [t.file] : [])),
  );
  const kept = Object.fromEntries((opts.keep ?? []).map((file) => [file, opts.previous!.hashes[file]!]));
  const texts = Object.fromEntries(criteria.map((c) => [c.id, c.text]));
  ctx.emit({
    type: 'proof.frozen',
    hashes: { ...kept, ...written },
    criteria: { ...opts.previous?.criteria, ...texts },
  });
}

/** A `proof.frozen`: each test's hash, each proven criterion's text, and where it stands in the journal. */
interface Frozen {
  hashes: Record<string, string>;
  criteria: Record<string, string>;
  seq: number;
}

/** The latest `proof.frozen`: the hashes every validation compares. */
export function latestFrozen(events: readonly StateEvent[]): Frozen | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === 'proof.frozen') return { hashes: e.hashes, criteria: e.criteria ?? {}, seq: e.seq ?? i + 1 };
  }
  return undefined;
}

/** RED: every test on the base; each journaled with what it says. */
async function redRun(
  ctx: RunContext,
  tests: readonly ProofTest[],
  adds: SpecAdds,
): Promise<{ run: TestRun; red: ProofRed }[]> {
  for (const t of tests)
    if (t.untestable)
      ctx.emit({ type: 'proof.test', criterion: t.criterion, red: 'untestable', untestable: t.untestable });
  const refs: ProofTestRef[] = tests
    .filter((t) => !t.untestable && t.file)
    .map((t) => ({ criterion: t.criterion, file: t.file!, ...(t.name ? { name: t.name } : {}) }));
  const runs = await runProofTests(ctx, refs);
  const unbuilt = await Promise.all(runs.map((run) => missingBuildOutput(ctx.workspace, run.test.file, run.output)));
  return runs.map((run, i) => {
    const red = redOf(run, adds, unbuilt[i]);
    ctx.emit({
      type: 'proof.test',
      criterion: run.test.criterion,
      file: run.test.file,
      ...(run.test.name ? { name: run.test.name } : {}),
      red,
      output: run.output,
    });
    return { run, red };
  });
}

export function redOf(run: TestRun, adds: SpecAdds, unbuilt = false): ProofRed {
  if (run.verdict !== 'passed' && unbuilt) return 'broken';
  if (run.verdict === 'failed') return 'failed';
  if (run.verdict === 'passed') return 'passed';
  // Not reported: its file did not load. Red only for want of what the spec adds.
  return run.exitCode !== null && missingWhatSpecAdds(run.output, adds) ? 'failed' : 'broken';
}

/** The submission names every criterion, known ones only, files that exist inside `proof.tests`, names holding their id. */
export function submissionCheck(ctx: RunContext, criteria: readonly Criterion[]): FinalCheck<ProofReport> {
  const inside = picomatch(ctx.config.proof.tests, { dot: true });
  return async (report) => {
    const known = new Set(criteria.map((c) => c.id));
    const problems: string[] = [];
    for (const t of report.tests) {
      if (!known.has(t.criterion))
        problems.push(`- ${t.criterion}: the spec has no such criterion (ids: ${[...known].join(', ')})`);
      else if (t.untestable) continue;
      else if (!t.file) problems.push(`- ${t.criterion}: give the test's file (or \`untestable\` with the reason)`);
      else if (!inside(t.file))
        problems.push(
          `- ${t.criterion}: ${t.file} is outside the proof tests' folders (${ctx.config.proof.tests.join(', ')})`,
        );
      else if (!(await exists(join(ctx.workspace, t.file))))
        problems.push(`- ${t.criterion}: ${t.file} does not exist: write it first`);
      else if (t.name && !idPattern(t.criterion).test(t.name))
        problems.push(`- ${t.criterion}: the test's name must contain the criterion id ("${t.criterion} …")`);
    }
    const covered = new Set(report.tests.map((t) => t.criterion));
    const missing = criteria.filter((c) => !covered.has(c.id)).map((c) => c.id);
    if (missing.length > 0)
      problems.push(
        `- no test for: ${missing.join(', ')} (write one, or submit it with \`untestable\` and the reason)`,
      );
    return problems.length === 0
      ? undefined
      : [
          'refused: the proof is incomplete:',
          ...problems,
          'Fix these and call submit_proof again with every test.',
        ].join('\n');
  };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** sha256 of each file's bytes: what `proof.frozen` journals and every validation compares. */
export async function hashFiles(workspace: string, files: readonly string[]): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const file of [...new Set(files)].sort()) {
    const bytes = await readFile(join(workspace, file)).catch(() => undefined);
    hashes[file] = bytes ? createHash('sha256').update(bytes).digest('hex') : 'missing';
  }
  return hashes;
}
