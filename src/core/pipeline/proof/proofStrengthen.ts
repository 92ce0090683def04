/**
 * STRENGTH's rounds under `required` (docs/proof.md "Strength", issue 61): the criteria under
 * `proof.minScore` go back to the proof agent with their surviving mutants. Each test it adds runs
 * as RED runs (redOf) on the base, a copy of the work tree whose changed files are as the
 * checkpoint has them, and must fail there; then as GREEN runs on the work tree, and must pass. A
 * file whose tests all did is frozen beside the others; any other is removed and told to the next
 * round. The round ends with `proof.frozen` whatever was kept, so a resume redoes a round begun
 * and not ended.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import picomatch from 'picomatch';
import type { ProofTest } from '../../agents';
import type { EngineEvent } from '../../events';
import { fileAtCheckpoint } from '../../git';
import type { StateEvent } from '../../journal';
import { modelFor } from '../../project/config';
import { loadSpec, namedPaths } from '../../project/specs';
import type { ProofTestRef } from '../../proofTests';
import { proofOfRun, strengthOfRun } from '../../trace';
import { assembleContext, PROOF_AGENT, runPipelineAgent } from '../agent';
import { AgentUnfinished, type RunContext } from '../kernel';
import { strengthenTask, proofSystem, type WeakCriterion } from './proofPrompts';
import { runProofTests, type TestRun } from './proofRun';
import { baseCopy } from './baseCopy';
import { missingBuildOutput, specAdds } from './proofOutcome';
import { hashFiles, latestFrozen, PROOF_MAX_TOKENS, redOf, specCriteria, submissionCheck } from './provePhase';

type Refused = Extract<EngineEvent, { type: 'proof.strengthRefused' }>['tests'][number];

/**
 * Round `round` for `criteria`: the proof agent's new tests, judged red on the base and green now,
 * the passing files frozen. `stalled`: the agent ended without a submission (it sent its frozen
 * tests again until the loop check stopped it, or its turns ran out): the round ends with nothing
 * kept, and the criteria stay as weak as measured, for the strength gate to name with their survivors.
 */
export async function strengthen(
  ctx: RunContext,
  specId: string,
  criteria: readonly string[],
  round: number,
): Promise<'done' | 'stalled'> {
  const spec = await loadSpec(ctx.workspace, specId);
  const frozen = latestFrozen(ctx.events)!;
  const strength = strengthOfRun(ctx.events);
  const proofs = proofOfRun(ctx.events);
  const chosen = specCriteria(spec.body).filter((c) => criteria.includes(c.id) && strength.has(c.id));
  const weak: WeakCriterion[] = chosen.map((criterion) => {
    const s = strength.get(criterion.id)!;
    return {
      criterion,
      killed: s.killed,
      tried: s.tried,
      survivors: s.survivors,
      tests: (proofs.get(criterion.id)?.tests ?? []).map((t) => t.file),
    };
  });
  const { tests: globs, command, maxRounds } = ctx.config.proof;
  const complete = submissionCheck(ctx, chosen);
  const ran = await runPipelineAgent(ctx, {
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
    task: strengthenTask(weak, refusedIn(ctx.events, round - 1), round, maxRounds),
    owns: [...globs],
    frozen: Object.keys(frozen.hashes),
    finalTool: 'submit_proof',
    checkFinal: async (report) => (await complete(report)) ?? newFilesOnly(report.tests, frozen.hashes),
    maxTurns: ctx.config.limits.maxAgentTurns,
  }).catch((error: unknown) => {
    if (error instanceof AgentUnfinished && UNFINISHED[error.outcome]) return UNFINISHED[error.outcome]!;
    throw error;
  });
  if (typeof ran === 'string') {
    await stalled(ctx, round, frozen.hashes, ran);
    return 'stalled';
  }
  const refs: ProofTestRef[] = ran.final.tests.flatMap((t) =>
    t.file && !t.untestable ? [{ criterion: t.criterion, file: t.file, ...(t.name ? { name: t.name } : {}) }] : [],
  );
  const reds = await redOnBase(ctx, spec.body, refs);
  const greens = await runProofTests(
    ctx,
    reds.filter((r) => r.red === 'failed').map((r) => r.run.test),
  );
  const refused: Refused[] = [];
  for (const { run, red } of reds) {
    if (red !== 'failed')
      refused.push({
        criterion: run.test.criterion,
        file: run.test.file,
        why: red === 'passed' ? 'passes on the base (vacuous)' : 'cannot run on the base (broken)',
        output: run.output,
      });
  }
  for (const run of greens)
    if (run.verdict !== 'passed')
      refused.push({
        criterion: run.test.criterion,
        file: run.test.file,
        why: 'fails on the code as it is now',
        output: run.output,
      });
  const out = new Set(refused.map((t) => t.file));
  const kept = [...new Set(refs.map((t) => t.file))].filter((file) => !out.has(file));
  for (const { run } of reds.filter((r) => kept.includes(r.run.test.file))) {
    const { criterion, file, name } = run.test;
    ctx.emit({ type: 'proof.test', criterion, file, ...(name ? { name } : {}), red: 'failed', output: run.output });
    ctx.emit({
      type: 'proof.green',
      criterion,
      file,
      green: 'passed',
      output: greens.find((g) => g.test === run.test)?.output ?? '',
    });
  }
  for (const file of out) await removeTest(ctx, file);
  if (refused.length > 0) ctx.emit({ type: 'proof.strengthRefused', round, tests: refused });
  ctx.emit({
    type: 'proof.frozen',
    hashes: { ...frozen.hashes, ...(await hashFiles(ctx.workspace, kept)) },
    criteria: frozen.criteria,
  });
  return 'done';
}

/** How a proof agent's round can end unfinished and still end the round (any other way stops the run as it is). */
const UNFINISHED: Partial<Record<string, string>> = {
  loop: 'repeated the same call (loop detected): it sent no new test file',
  max_turns: 'reached limits.maxAgentTurns without submitting',
};

/** A round the agent did not finish: what it wrote this round leaves the proof folder, and the round ends with nothing frozen. */
async function stalled(ctx: RunContext, round: number, hashes: Record<string, string>, why: string): Promise<void> {
  const since = ctx.events.findIndex((e) => e.type === 'proof.strengthen' && e.round === round);
  const written = ctx.events
    .slice(Math.max(since, 0))
    .flatMap((e) =>
      e.type === 'file.written' && e.agent === PROOF_AGENT && !Object.hasOwn(hashes, e.path) ? [e.path] : [],
    );
  for (const file of new Set(written)) await removeTest(ctx, file);
  ctx.emit({ type: 'proof.strengthRefused', round, tests: [], stalled: why });
  ctx.emit({ type: 'proof.frozen', hashes, criteria: latestFrozen(ctx.events)!.criteria });
}

/** A new test goes in a new file: a frozen one stays as it is. */
function newFilesOnly(tests: readonly ProofTest[], frozen: Record<string, string>): string | undefined {
  const old = tests.filter((t) => t.file && Object.hasOwn(frozen, t.file)).map((t) => t.file);
  return old.length === 0
    ? undefined
    : `refused: ${old.join(', ')} ${old.length === 1 ? 'is' : 'are'} frozen: put your new tests in new files and call submit_proof again with only those.`;
}

/** RED for new tests: on a copy of the work tree with the run's changed files (but the proof tests) as the checkpoint has them. */
async function redOnBase(
  ctx: RunContext,
  specText: string,
  refs: readonly ProofTestRef[],
): Promise<{ run: TestRun; red: ReturnType<typeof redOf> }[]> {
  if (refs.length === 0) return [];
  const copy = (await baseCopy(ctx, picomatch(ctx.config.proof.tests, { dot: true })))!;
  try {
    const adds = await specAdds(copy.cwd, specText, namedPaths(specText));
    const runs = await runProofTests(ctx, refs, undefined, copy);
    const unbuilt = await Promise.all(runs.map((run) => missingBuildOutput(copy.cwd, run.test.file, run.output)));
    return runs.map((run, i) => ({ run, red: redOf(run, adds, unbuilt[i]) }));
  } finally {
    await copy.dispose();
  }
}

/**
 * A test file that was not kept leaves the proof folder (the project's own runner would run it);
 * one the base already had (a test of the project's the agent changed) is put back as it was.
 */
async function removeTest(ctx: RunContext, file: string): Promise<void> {
  const path = join(ctx.workspace, file);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  const base = await fileAtCheckpoint(ctx.workspace, ctx.state().checkpoint!.ref, file);
  if (base) {
    await writeFile(path, base);
    ctx.emit({ type: 'file.written', agent: PROOF_AGENT, path: file, created: false, bytes: base.length });
    return;
  }
  await rm(path, { force: true });
  ctx.emit({ type: 'file.deleted', agent: PROOF_AGENT, path: file, lines: text.split('\n').length });
}

function refusedIn(events: readonly StateEvent[], round: number): Refused[] {
  return events.flatMap((e) => (e.type === 'proof.strengthRefused' && e.round === round ? e.tests : []));
}
