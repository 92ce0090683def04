/**
 * GREEN (docs/proof.md): a layer's validation ends with the proof tests of the criteria its tasks
 * cite, once every other layer citing them is done, or shares its wave and has finished its work;
 * after the last wave, all of them. A
 * failing proof test is the validation failure of the layer owning the code its output names
 * (else the layer validating, else the layers citing it), retried with the test's output, its
 * criterion id and text. First, the frozen tests are compared with their journaled hashes: a
 * changed one stops the run as tampering.
 */
import { RunStop } from '../../errors';
import { isLayerDone } from '../../journal';
import { computeWaves } from '../../project/config';
import { loadSpec, type Spec } from '../../project/specs';
import { proofOfRun } from '../../trace';
import { proofTimedOut, type RunContext, specWorkLayers, untrustedStopped } from '../kernel';
import { hashFiles, latestFrozen, specCriteria } from './provePhase';
import type { ProofTestRef } from '../../proofTests';
import { runProofTests, type TestRun } from './proofRun';
import { blamedLayers } from './proofAttribution';
import { proofMode } from './proofSettings';
import { layerCitations } from './proofCitations';

export interface ProofFailure {
  command: string;
  output: string;
  exitCode: number | null;
}

/**
 * undefined when the layer's due proof tests pass (or none is due). Advisory or required alike (issue 70):
 * a criterion whose proof test fails at GREEN never ends `completed`.
 */
export async function proveLayer(ctx: RunContext, layer: string): Promise<ProofFailure | undefined> {
  const green = await greenSetup(ctx);
  if (!green) return undefined;
  const due = new Set(dueCriteria(ctx, green, layer));
  const failing = (await greenRun(ctx, green, (criterion) => due.has(criterion), layer)).filter(
    (f) => f.owner === layer,
  );
  if (failing.length === 0) return undefined;
  return failureOf(
    green.spec,
    failing.map((f) => f.run),
  );
}

/**
 * After the last wave, every proof test that has not passed since the last change, each failure
 * with the layer its output blames (else the layers whose tasks cite its criterion).
 */
export async function proveAll(ctx: RunContext): Promise<{ owner?: string; failure: ProofFailure }[]> {
  const green = await greenSetup(ctx);
  if (!green) return [];
  const fresh = passedSinceLastChange(ctx);
  const failed = await greenRun(
    ctx,
    green,
    () => true,
    undefined,
    (test) => !fresh.has(`${test.criterion}\0${test.file}`),
  );
  const byOwner = new Map<string | undefined, TestRun[]>();
  for (const { owner, run } of failed) byOwner.set(owner, [...(byOwner.get(owner) ?? []), run]);
  return [...byOwner].map(([owner, runs]) => ({ ...(owner ? { owner } : {}), failure: failureOf(green.spec, runs) }));
}

/**
 * The criteria whose proof tests `layer`'s validation runs now: due by the rule above, with a test
 * red on the base. Its attempts are judged by them (docs/attempts.md): a criterion another layer of
 * the wave also cites is not, for an attempt's worktree never has that layer's work.
 */
export async function layerProofCriteria(ctx: RunContext, layer: string): Promise<string[]> {
  const { mode } = proofMode(ctx.config);
  const specId = ctx.facts().specId;
  if (mode === 'off' || !latestFrozen(ctx.events) || !specId) return [];
  const spec = await loadSpec(ctx.workspace, specId);
  const layers = specWorkLayers(ctx, spec, spec.frontMatter.layers);
  const proven = new Set(
    [...proofOfRun(ctx.events)]
      .filter(([, proof]) => proof.tests.some((t) => t.red === 'failed'))
      .map(([criterion]) => criterion),
  );
  return dueCriteria(ctx, { spec, layers, cites: citations(ctx, spec, layers) }, layer).filter((criterion) =>
    proven.has(criterion),
  );
}

interface Green {
  spec: Spec;
  layers: string[];
  cites: Map<string, Set<string>>;
}

async function greenSetup(ctx: RunContext): Promise<Green | undefined> {
  const { mode } = proofMode(ctx.config);
  const frozen = latestFrozen(ctx.events)?.hashes;
  const specId = ctx.facts().specId;
  if (mode === 'off' || !frozen || !specId) return undefined;
  await checkFrozen(ctx, frozen);
  const spec = await loadSpec(ctx.workspace, specId);
  const layers = specWorkLayers(ctx, spec, spec.frontMatter.layers);
  return { spec, layers, cites: citations(ctx, spec, layers) };
}

/** Runs the red-failed tests of the criteria `wanted` picks; journals each result with the layer it concerns. */
async function greenRun(
  ctx: RunContext,
  green: Green,
  wanted: (criterion: string) => boolean,
  layer?: string,
  also: (test: ProofTestRef) => boolean = () => true,
): Promise<{ owner?: string; run: TestRun }[]> {
  const tests: ProofTestRef[] = [];
  for (const [criterion, proof] of proofOfRun(ctx.events)) {
    if (!wanted(criterion)) continue;
    for (const t of proof.tests)
      if (t.red === 'failed' && also({ criterion, file: t.file }))
        tests.push({ criterion, file: t.file, ...(t.name ? { name: t.name } : {}) });
  }
  if (tests.length === 0) return [];
  if (!ctx.host.isTrusted()) throw untrustedStopped('running the proof tests');
  const failed: { owner?: string; run: TestRun }[] = [];
  for (const run of await runProofTests(ctx, tests, layer)) {
    // A command that did not end is no pass, whatever its output said before it hung.
    if (run.verdict === 'passed' && !run.timedOut) {
      ctx.emit({
        type: 'proof.green',
        criterion: run.test.criterion,
        file: run.test.file,
        green: 'passed',
        ...(layer ? { layer } : {}),
      });
      continue;
    }
    const owner = ownerOf(ctx, green, run, layer);
    ctx.emit({
      type: 'proof.green',
      criterion: run.test.criterion,
      file: run.test.file,
      green: 'failed',
      ...(owner ? { layer: owner } : {}),
      output: run.output,
    });
    failed.push({ ...(owner ? { owner } : {}), run });
  }
  const hung = failed.filter((f) => f.run.timedOut).map((f) => f.run);
  if (hung.length > 0) throw timedOut(ctx, green.spec, hung);
  return failed;
}

/**
 * Proof tests whose command did not end: the run stops, never retried as a wrong implementation
 * (every later proof run would wait the whole limit again).
 */
function timedOut(ctx: RunContext, spec: Spec, runs: readonly TestRun[]) {
  const texts = criterionTexts(spec);
  const { timeoutSec } = ctx.config.proof;
  return proofTimedOut({
    criteria: runs.map((run) => ({
      id: run.test.criterion,
      text: texts.get(run.test.criterion) ?? '',
      test: `${run.test.file}${run.test.name ? ` › ${run.test.name}` : ''}`,
    })),
    command: runs[0]!.command,
    timeoutSec: timeoutSec ?? ctx.config.limits.commandTimeoutSec,
    measured: timeoutSec !== undefined,
    output: runs[0]!.output,
  });
}

/**
 * The layer a failure is the validation failure of: the one owning the code its output names
 * (when it is in the run), else the one validating, else the one whose tasks cite the criterion.
 */
function ownerOf(ctx: RunContext, green: Green, run: TestRun, validating?: string): string | undefined {
  const blamed = blamedLayers(ctx.config, run.output, ctx.workspace, run.test.file).filter((l) =>
    green.layers.includes(l),
  );
  if (validating && (blamed.length === 0 || blamed.includes(validating))) return validating;
  if (blamed[0]) return blamed[0];
  return green.layers.filter((l) => green.cites.get(l)?.has(run.test.criterion)).at(-1);
}

const criterionTexts = (spec: Spec): Map<string, string> => new Map(specCriteria(spec.body).map((c) => [c.id, c.text]));

function failureOf(spec: Spec, runs: readonly TestRun[]): ProofFailure {
  const texts = criterionTexts(spec);
  const output = runs
    .map((run) =>
      [
        `Proof test failed: ${run.test.criterion} — ${texts.get(run.test.criterion) ?? ''}`.trim(),
        `Test: ${run.test.file}${run.test.name ? ` › ${run.test.name}` : ''} (frozen: make the code pass it, do not change it)`,
        run.output.trim(),
      ].join('\n'),
    )
    .join('\n\n');
  return { command: runs[0]!.command, output, exitCode: runs[0]!.exitCode };
}

/** Each layer's cited criteria: directly (`REQ-1.2`) or through their requirement (`REQ-1`). */
function citations(ctx: RunContext, spec: Spec, layers: readonly string[]): Map<string, Set<string>> {
  return new Map([...layerCitations(spec.body, ctx.config, layers)].map(([layer, cited]) => [layer, cited.criteria]));
}

/**
 * The criteria `layer` proves now: those its tasks cite, and those whose latest failure blamed
 * it; each once every other layer citing it is done, or shares its wave and has finished its work.
 */
function dueCriteria(ctx: RunContext, { spec, layers, cites }: Green, layer: string): string[] {
  const waves = computeWaves(ctx.config, layers, spec.frontMatter.waves);
  const waveOf = (l: string) => waves.findIndex((wave) => wave.includes(l));
  const state = ctx.state();
  // Another layer citing it is ready once done, or when it shares this wave and its agent has
  // finished (its files are in the checkout): while it still works, the test waits for the last of
  // them to validate, instead of failing this layer for code it does not write.
  const finished = (other: string) => state.layers[other]?.implemented === true && !state.layers[other]?.agentRunning;
  const ready = (other: string) =>
    other === layer || isLayerDone(state, other) || (waveOf(other) === waveOf(layer) && finished(other));
  const blamed = latestBlame(ctx);
  return specCriteria(spec.body)
    .map((c) => c.id)
    .filter((id) => {
      const citing = layers.filter((l) => cites.get(l)?.has(id));
      return (citing.includes(layer) || blamed.get(id) === layer) && citing.every(ready);
    });
}

/** Each criterion's latest green run: failing, and the layer it blamed. */
function latestBlame(ctx: RunContext): Map<string, string> {
  const blamed = new Map<string, string>();
  for (const e of ctx.events) {
    if (e.type !== 'proof.green') continue;
    if (e.green === 'failed' && e.layer) blamed.set(e.criterion, e.layer);
    else blamed.delete(e.criterion);
  }
  return blamed;
}

/** Tests that passed after the run's last file change: nothing since could have broken them. */
function passedSinceLastChange(ctx: RunContext): Set<string> {
  const passed = new Set<string>();
  for (const e of ctx.events) {
    if (e.type === 'file.written' || e.type === 'file.deleted') passed.clear();
    else if (e.type === 'proof.green') {
      const key = `${e.criterion}\0${e.file}`;
      if (e.green === 'passed') passed.add(key);
      else passed.delete(key);
    }
  }
  return passed;
}

/** Every frozen test as it was frozen; otherwise the run stops: a proof changed by anyone but the spec gate proves nothing. */
async function checkFrozen(ctx: RunContext, frozen: Record<string, string>): Promise<void> {
  const now = await hashFiles(ctx.workspace, Object.keys(frozen));
  const changed = Object.keys(frozen).filter((file) => now[file] !== frozen[file]);
  if (changed.length === 0) return;
  const report = [
    '## Pipeline stopped: a proof test was changed',
    '- Frozen when PROVE ended, changed since:',
    ...changed.map((file) => `  - \`${file}\`${now[file] === 'missing' ? ' (deleted)' : ''}`),
    '### Action needed',
    "No agent may change a proof test (they are refused); something else did. Restore the tests (`git checkout` them from the run's checkpoint, or undo the change) and run `orchestrator resume`. To change what a criterion requires, change the spec (`orchestrator change`), which goes through its gate.",
  ].join('\n');
  throw new RunStop('tampered', `proof tests changed after they were frozen: ${changed.join(', ')}`, report);
}
