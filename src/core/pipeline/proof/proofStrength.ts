/**
 * STRENGTH after GREEN (docs/proof.md "Strength", issue 61): the code the layers changed is
 * mutated, on its changed lines only, and each criterion's frozen proof tests run against the
 * mutants in a copy of the work tree, in the sandbox. `report` journals what survived;
 * `required` sends each criterion under `proof.minScore` back to the proof agent with its
 * survivors, then stops the run naming those still under it and their survivors. The
 * seed that samples the mutants is journaled first, so a resume samples the same ones; a
 * criterion measured since the run's last change is not measured again.
 */
import picomatch from 'picomatch';
import { RunCancelled, RunStop } from '../../errors';
import { filesChanged, type StateEvent } from '../../journal';
import {
  changedLines,
  defaultEngines,
  measureStrength,
  type MutationCommandRunner,
  type MutationEngine,
  newSeed,
  strengthScore,
  survivorsOf,
} from '../../mutation';
import { layerOwning } from '../../project/config';
import { engineErrorLine } from '../../text/proofWords';
import { loadSpec } from '../../project/specs';
import { proofOfRun, strengthOfRun, type StrengthOfRun } from '../../trace';
import { type RunContext, runProjectCommand, specWorkLayers, untrustedStopped } from '../kernel';
import { layerCitations } from './proofCitations';
import { proofMode } from './proofSettings';
import { strengthen } from './proofStrengthen';

/**
 * Measures what is due; under `required`, a criterion under `proof.minScore` goes back to the proof
 * agent with its survivors (proofStrengthen.ts), up to `proof.maxRounds` rounds, each followed by a
 * new measure. A round journaled as begun and not ended is done again on resume. What is still
 * too weak stops the run at COMPLETE's check (strengthGate), after the review could mark
 * equivalent mutants; at once when the workflow has no COMPLETE.
 */
export async function strengthAfterGreen(ctx: RunContext, engines?: readonly MutationEngine[]): Promise<void> {
  const setting = ctx.config.proof.strength;
  const specId = ctx.facts().specId;
  if (setting === 'off' || proofMode(ctx.config).mode === 'off' || !specId) return;
  for (;;) {
    const { round, pending } = strengthRound(ctx.events);
    if (pending) {
      // A round the agent did not finish adds nothing a new measure could see: no other round.
      if ((await strengthen(ctx, specId, pending, round)) === 'stalled') break;
      continue;
    }
    if (!(await measureDue(ctx, specId, round, engines)) || setting !== 'required') return;
    sayUnmeasured(ctx);
    const weak = weakCriteria(ctx);
    if (weak.length === 0 || round >= ctx.config.proof.maxRounds) break;
    ctx.emit({ type: 'proof.strengthen', round: round + 1, criteria: weak.map(([c]) => c) });
  }
  if (!ctx.workflow?.phases.some((p) => p.uses === 'complete')) strengthGate(ctx);
}

/** Under `required`, stops the run naming each criterion still under `proof.minScore` and its survivors. */
export function strengthGate(ctx: Pick<RunContext, 'config' | 'events'>): void {
  if (ctx.config.proof.strength !== 'required') return;
  const weak = weakCriteria(ctx);
  if (weak.length > 0) throw tooWeak(weak, ctx.config.proof.minScore, stalledRound(ctx.events));
}

/**
 * The mutants the review judged equivalent (`submit_review`'s `equivalent`), each journaled with the
 * criteria it survived (`proof.equivalent`): no longer counted, nor sampled again. An id that is no
 * survivor's is ignored, and said so.
 */
export function markEquivalent(ctx: RunContext, marked: readonly { mutant: string; why: string }[]): void {
  const strength = strengthOfRun(ctx.events);
  for (const { mutant, why } of marked) {
    const survived = [...strength].flatMap(([criterion, s]) =>
      s.survivors.filter((m) => m.id === mutant).map((m) => ({ criterion, m })),
    );
    if (survived.length === 0)
      ctx.warn(`review: no surviving mutant has the id ${JSON.stringify(mutant.slice(0, 40))}: not marked equivalent`);
    for (const { criterion, m } of survived)
      ctx.emit({ type: 'proof.equivalent', criterion, mutant, file: m.file, line: m.line, change: m.change, why });
  }
}

/** Criteria under `proof.minScore`; one not measured (no mutant judged) is neither weak nor strong: sayUnmeasured. */
function weakCriteria(ctx: Pick<RunContext, 'config' | 'events'>): Array<[string, StrengthOfRun]> {
  return [...strengthOfRun(ctx.events)].filter(([, s]) => (strengthScore(s) ?? 1) * 100 < ctx.config.proof.minScore);
}

/**
 * Under `required`, criteria whose engine failed before any verdict, said plainly: their strength is
 * unknown, not counted as strong, and the run goes on (an engine that cannot load in the project
 * says nothing of the tests: docs/proof.md "Strength").
 */
function sayUnmeasured(ctx: RunContext): void {
  const unmeasured = [...strengthOfRun(ctx.events)].filter(([, s]) => s.error && strengthScore(s) === undefined);
  if (unmeasured.length > 0)
    notMeasured(ctx, `${unmeasured.map(([c]) => c).join(', ')} (${engineErrorLine(unmeasured[0]![1].error)})`);
}

/** `strength: not measured`, with the reason; under `required` a warning that says it is not counted as strong. */
function notMeasured(ctx: RunContext, why: string): void {
  const required = ctx.config.proof.strength === 'required';
  ctx.emit({
    type: 'log',
    level: required ? 'warn' : 'info',
    message: `strength: not measured: ${why}${required ? '; proof.strength is required, and a strength not measured is not counted as strong: the proof tests were not checked against mutants' : ''}`,
  });
}

/** The latest strengthening round, and its criteria when it began and has not ended (no `proof.frozen` since). */
function strengthRound(events: readonly StateEvent[]): { round: number; pending?: string[] } {
  let round = 0;
  let pending: string[] | undefined;
  for (const e of events) {
    if (e.type === 'proof.strengthen') [round, pending] = [e.round, e.criteria];
    else if (e.type === 'proof.frozen') pending = undefined;
  }
  return { round, ...(pending ? { pending } : {}) };
}

/** Measures the criteria not measured since the code or their tests changed; false when nothing can be. */
async function measureDue(
  ctx: RunContext,
  specId: string,
  round: number,
  engines?: readonly MutationEngine[],
): Promise<boolean> {
  const checkpoint = ctx.state().checkpoint;
  if (!checkpoint) {
    notMeasured(ctx, 'the run has no git checkpoint to tell its changed lines from');
    return false;
  }
  const measured = measuredSinceLastChange(ctx);
  const due = (await strengthCriteria(ctx, specId)).filter((c) => !measured.has(c.id));
  if (due.length === 0) return true;
  const usable = engines ?? defaultEngines(ctx.workspace);
  const files = [...new Set(due.flatMap((c) => c.files))];
  const unread = files.filter((file) => JS_OR_TS.test(file) && !usable.some((e) => e.handles(file)));
  if (unread.length > 0)
    ctx.emit({
      type: 'log',
      level: 'warn',
      message: `strength: ${unread.length} JavaScript or TypeScript file(s) not mutated: StrykerJS is not installed (add @stryker-mutator/core and the runner of your tests, e.g. @stryker-mutator/jest-runner, to the project's devDependencies)`,
    });
  if (!files.some((file) => usable.some((e) => e.handles(file)))) {
    if (unread.length === 0)
      notMeasured(ctx, 'no mutation engine reads the changed files\' languages (docs/proof.md "Strength")');
    return false;
  }
  if (!ctx.host.isTrusted()) throw untrustedStopped('running the proof tests against mutants');
  const seed = latestSeed(ctx) ?? newSeed();
  ctx.emit({ type: 'proof.strengthStarted', seed, round, criteria: due.map((c) => c.id) });
  const { proof, limits } = ctx.config;
  const measuring = async () =>
    measureStrength({
      workTree: ctx.workspace,
      changed: await changedLines(ctx.workspace, checkpoint.ref, files),
      criteria: due,
      proof: { command: proof.command, tests: proof.tests, timeoutSec: proof.timeoutSec ?? limits.commandTimeoutSec },
      caps: {
        perCriterion: proof.maxMutants,
        perRun: proof.maxMutantsPerRun,
        timeoutSec: proof.strengthTimeoutSec,
        concurrency: limits.concurrency,
      },
      seed,
      engines: usable,
      run: sandboxedRunner(ctx),
      skip: equivalentMutants(ctx.events),
    });
  const results = await measuring().catch((error: unknown) => {
    // Whatever else fails in the step (the copy, git): not measured, never the run's failure.
    if (error instanceof RunCancelled || error instanceof RunStop) throw error;
    const message = error instanceof Error ? error.message : String(error);
    return due.map((c) => ({ criterion: c.id, results: [], tried: 0, killed: 0, survived: 0, error: message }));
  });
  for (const r of results)
    ctx.emit({
      type: 'proof.strength',
      criterion: r.criterion,
      round,
      tried: r.tried,
      killed: r.killed,
      survived: r.survived,
      survivors: survivorsOf(r),
      ...(r.error ? { error: r.error } : {}),
    });
  return true;
}

/** What StrykerJS would mutate (declaration files are not code). */
const JS_OR_TS = /(?<!\.d)\.(?:[cm]?[jt]sx?)$/;

/** Mutants a review judged equivalent (`proof.equivalent`): never sampled again. */
function equivalentMutants(events: readonly StateEvent[]): Set<string> {
  return new Set(events.flatMap((e) => (e.type === 'proof.equivalent' ? [e.mutant] : [])));
}

/** The proven criteria, each with its frozen tests and the changed files its citing layers own (all of them when none cites it). */
async function strengthCriteria(
  ctx: RunContext,
  specId: string,
): Promise<Array<{ id: string; tests: string[]; files: string[] }>> {
  const spec = await loadSpec(ctx.workspace, specId);
  const layers = specWorkLayers(ctx, spec, spec.frontMatter.layers);
  const cites = layerCitations(spec.body, ctx.config, layers);
  const isProof = picomatch(ctx.config.proof.tests, { dot: true });
  const changed = filesChanged(ctx.state()).filter((file) => !isProof(file));
  const out: Array<{ id: string; tests: string[]; files: string[] }> = [];
  for (const [id, proof] of proofOfRun(ctx.events)) {
    const tests = proof.tests.filter((t) => t.red === 'failed' && t.green === 'passed').map((t) => t.file);
    if (tests.length === 0) continue;
    const citing = layers.filter((l) => cites.get(l)?.criteria.has(id));
    const files =
      citing.length === 0 ? changed : changed.filter((file) => citing.includes(layerOwning(ctx.config, file) ?? ''));
    if (files.length > 0) out.push({ id, tests: [...new Set(tests)], files });
  }
  return out;
}

/** Commands of the strength step: run like any of the run's commands (runProjectCommand: the sandbox, its refusals journaled, cancellation), in the copy, seeing what it links to. */
function sandboxedRunner(ctx: RunContext): MutationCommandRunner {
  return (command, { cwd, timeoutSec, readOnly }) =>
    runProjectCommand(ctx, command, { kind: 'strength', timeoutSec, place: { cwd, readOnly } });
}

function latestSeed(ctx: RunContext): string | undefined {
  let seed: string | undefined;
  for (const e of ctx.events) if (e.type === 'proof.strengthStarted') seed = e.seed;
  return seed;
}

/** Criteria measured after the run's last file change and the last round adding tests to them. */
function measuredSinceLastChange(ctx: RunContext): Set<string> {
  const measured = new Set<string>();
  for (const e of ctx.events) {
    if (e.type === 'file.written' || e.type === 'file.deleted') measured.clear();
    else if (e.type === 'proof.strengthen') for (const c of e.criteria) measured.delete(c);
    else if (e.type === 'proof.strength' && !e.error) measured.add(e.criterion);
  }
  return measured;
}

/** The last strengthening round, when the proof agent did not finish it: `round N: the proof agent …`. */
function stalledRound(events: readonly StateEvent[]): string | undefined {
  const { round } = strengthRound(events);
  const stalled = events.flatMap((e) =>
    e.type === 'proof.strengthRefused' && e.round === round && e.stalled ? [e.stalled] : [],
  );
  return stalled.length > 0 ? `In round ${round} the proof agent ${stalled.at(-1)}.` : undefined;
}

function tooWeak(weak: ReadonlyArray<[string, StrengthOfRun]>, minScore: number, stalled?: string): RunStop {
  const report = [
    '## Pipeline stopped: a proof is too weak (proof.strength: required)',
    `Mutants of the changed lines that the criterion's frozen proof tests let pass (at least ${minScore}% must be killed), after the proof agent's rounds of added tests:`,
    ...(stalled ? [stalled] : []),
    ...weak.flatMap(([criterion, s]) => [
      `### ${criterion}: ${s.killed}/${s.tried} killed`,
      ...s.survivors.map((m) => `- \`${m.file}:${m.line}\` ${m.change}`),
    ]),
    '### Action needed',
    "Each survivor is a wrong implementation the tests accept. Add a test that fails on it through the spec gate (`orchestrator change`), or set `proof.strength: report` to record the score without stopping; then `orchestrator resume`. A survivor that changes nothing observable is the review's to mark equivalent.",
  ].join('\n');
  return new RunStop(
    'validation',
    `proof too weak: ${weak.map(([c]) => c).join(', ')} under ${minScore}% of mutants killed`,
    report,
  );
}
