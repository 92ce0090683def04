/**
 * GREEN (docs/proof.md): a layer's validation ends with the proof tests of the criteria its tasks
 * cite, once every other layer citing them has done its part; the last wave's layers run all the
 * rest. A failing proof test is the layer's validation failure, retried with the test's output,
 * its criterion id and text. First, the frozen tests are compared with their journaled hashes:
 * a changed one stops the run as tampering.
 */
import { RunStop } from '../../errors';
import { isLayerDone } from '../../journal';
import { computeWaves } from '../../project/config';
import { layersWithWork, layerTasksText, loadSpec, type Spec } from '../../project/specs';
import { citedCriteria, citedRequirements, parseRequirements, proofOfRun } from '../../trace';
import { type RunContext, untrustedStopped } from '../kernel';
import { hashFiles, latestFrozen } from './provePhase';
import type { ProofTestRef } from './proofOutcome';
import { runProofTests } from './proofRun';
import { proofMode } from './proofSettings';

export interface ProofFailure {
  command: string;
  output: string;
  exitCode: number | null;
}

/** undefined when the layer's proof tests pass (or none is due, or proof is advisory). */
export async function proveLayer(ctx: RunContext, layer: string): Promise<ProofFailure | undefined> {
  const { mode } = proofMode(ctx.config);
  const frozen = latestFrozen(ctx.events)?.hashes;
  const specId = ctx.facts().specId;
  if (mode === 'off' || !frozen || !specId) return undefined;
  await checkFrozen(ctx, frozen);
  const spec = await loadSpec(ctx.workspace, specId);
  const due = new Set(dueCriteria(ctx, spec, layer));
  const proofs = proofOfRun(ctx.events);
  const tests: ProofTestRef[] = [];
  for (const criterion of due) {
    for (const t of proofs.get(criterion)?.tests ?? []) if (t.red === 'failed') tests.push({ criterion, file: t.file, ...(t.name ? { name: t.name } : {}) });
  }
  if (tests.length === 0) return undefined;
  if (!ctx.host.isTrusted()) throw untrustedStopped(`running the proof tests of ${layer}`);
  const runs = await runProofTests(ctx, tests, layer);
  const texts = new Map(parseRequirements(spec.body).requirements.flatMap((r) => r.criteria).map((c) => [c.id, c.text]));
  for (const run of runs) {
    ctx.emit({ type: 'proof.green', criterion: run.test.criterion, file: run.test.file, green: run.verdict === 'passed' ? 'passed' : 'failed', layer, ...(run.verdict === 'passed' ? {} : { output: run.output }) });
  }
  const failing = runs.filter((run) => run.verdict !== 'passed');
  if (failing.length === 0 || mode === 'advisory') return undefined;
  const output = failing
    .map((run) => [`Proof test failed: ${run.test.criterion} — ${texts.get(run.test.criterion) ?? ''}`.trim(), `Test: ${run.test.file}${run.test.name ? ` › ${run.test.name}` : ''} (frozen: make the code pass it, do not change it)`, run.output.trim()].join('\n'))
    .join('\n\n');
  return { command: failing[0]!.command, output, exitCode: failing[0]!.exitCode };
}

/**
 * The criteria `layer` proves now: those its tasks cite (directly or through their requirement),
 * and in the last wave those no task cites, each once no other layer citing it is still to come.
 */
export function dueCriteria(ctx: RunContext, spec: Spec, layer: string): string[] {
  const { requirements } = parseRequirements(spec.body);
  const layers = layersWithWork(spec.body, ctx.config, spec.frontMatter.layers);
  const cites = new Map(layers.map((l) => {
    const text = layerTasksText(spec.body, ctx.config, l);
    const viaRequirement = new Set(citedRequirements(text, requirements));
    return [l, new Set([...citedCriteria(text, requirements), ...requirements.filter((r) => viaRequirement.has(r.id)).flatMap((r) => r.criteria.map((c) => c.id))])];
  }));
  const waves = computeWaves(ctx.config, layers);
  const waveOf = (l: string) => waves.findIndex((wave) => wave.includes(l));
  const last = waveOf(layer) === waves.length - 1 || !layers.includes(layer);
  const state = ctx.state();
  const ready = (other: string) => other === layer || isLayerDone(state, other) || waveOf(other) === waveOf(layer);
  return requirements.flatMap((r) => r.criteria.map((c) => c.id)).filter((id) => {
    const citing = layers.filter((l) => cites.get(l)?.has(id));
    const mine = citing.includes(layer) || (last && (citing.length === 0 || citing.every(ready)));
    return mine && citing.every(ready);
  });
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
    'No agent may change a proof test (they are refused); something else did. Restore the tests (`git checkout` them from the run\'s checkpoint, or undo the change) and run `orchestrator resume`. To change what a criterion requires, change the spec (`orchestrator change`), which goes through its gate.',
  ].join('\n');
  throw new RunStop('tampered', `proof tests changed after they were frozen: ${changed.join(', ')}`, report);
}
