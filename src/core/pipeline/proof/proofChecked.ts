/**
 * What the proof checked of a run's work (issue 70: a change nothing checked never ends `completed`):
 * the layers a proven criterion speaks for, and the frozen tests themselves (the proof agent's files,
 * not a layer's work).
 */
import { layersWithWork, loadSpec } from '../../project/specs';
import { proofOfRun } from '../../trace';
import type { RunContext } from '../kernel';
import { layerCitations } from './proofCitations';
import { latestFrozen } from './provePhase';

/** Layers whose tasks cite a proven criterion (red on the base, green now), or that a passing green run was for. */
export async function layersProven(ctx: RunContext): Promise<Set<string>> {
  const proven = new Set(
    [...proofOfRun(ctx.events)].filter(([, proof]) => proof.status === 'proven').map(([criterion]) => criterion),
  );
  const specId = ctx.facts().specId;
  const layers = new Set<string>();
  if (proven.size === 0 || !specId) return layers;
  for (const e of ctx.events)
    if (e.type === 'proof.green' && e.green === 'passed' && e.layer && proven.has(e.criterion)) layers.add(e.layer);
  const spec = await loadSpec(ctx.workspace, specId);
  const working = layersWithWork(spec.body, ctx.config, spec.frontMatter.layers);
  for (const [layer, cited] of layerCitations(spec.body, ctx.config, working))
    if ([...cited.criteria].some((criterion) => proven.has(criterion))) layers.add(layer);
  return layers;
}

/** The frozen proof tests' files: written by the proof agent, checked by being run. */
export function frozenProofFiles(ctx: RunContext): Set<string> {
  return new Set(Object.keys(latestFrozen(ctx.events)?.hashes ?? {}));
}
