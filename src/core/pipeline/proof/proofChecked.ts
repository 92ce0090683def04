/**
 * What the proof checked of a run's work (issue 70: a change nothing checked never ends `completed`):
 * per layer, the criteria it speaks for that a test proved (red on the base, green now) and those
 * the proof could not prove (every test broken or passing on the base, or none written), and the
 * frozen tests themselves (the proof agent's files, not a layer's work).
 */
import { loadSpec } from '../../project/specs';
import { proofOfRun, type CriterionProof } from '../../trace';
import { type RunContext, specWorkLayers } from '../kernel';
import { layerCitations } from './proofCitations';
import { latestFrozen } from './provePhase';

export interface LayerProof {
  /** Criteria of the layer with a test red on the base and green now. */
  proven: string[];
  /** Testable criteria of the layer the proof could not prove, each with why (`its tests are broken on the base`). */
  unproven: { criterion: string; why: string }[];
}

/** Each layer's proof, once PROVE froze tests in this run (else an empty map: proof was off or never ran). */
export async function proofByLayer(ctx: RunContext): Promise<Map<string, LayerProof>> {
  const byLayer = new Map<string, LayerProof>();
  const specId = ctx.facts().specId;
  if (!latestFrozen(ctx.events) || !specId) return byLayer;
  const proofs = proofOfRun(ctx.events);
  const of = (layer: string) => {
    const found = byLayer.get(layer) ?? { proven: [], unproven: [] };
    byLayer.set(layer, found);
    return found;
  };
  const spec = await loadSpec(ctx.workspace, specId);
  const working = specWorkLayers(ctx, spec, spec.frontMatter.layers);
  for (const [layer, cited] of layerCitations(spec.body, ctx.config, working))
    for (const criterion of cited.criteria) {
      const proof = proofs.get(criterion);
      // A criterion the proof agent judged untestable is the review's to judge, said in the matrix.
      if (proof?.untestable !== undefined && proof.tests.length === 0) continue;
      if (proof && provedBy(proof)) of(layer).proven.push(criterion);
      else of(layer).unproven.push({ criterion, why: whyUnproven(proof) });
    }
  // A failing green run blamed a layer whose tasks do not cite the criterion: its passing one proves that layer too.
  for (const e of ctx.events)
    if (e.type === 'proof.green' && e.green === 'passed' && e.layer) {
      const proof = proofs.get(e.criterion);
      if (proof && provedBy(proof) && !of(e.layer).proven.includes(e.criterion)) of(e.layer).proven.push(e.criterion);
    }
  return byLayer;
}

/** At least one of its tests failed on the base and passes now (a test dropped or broken beside it proves nothing, nor undoes it). */
function provedBy(proof: CriterionProof): boolean {
  return proof.tests.some((t) => t.red === 'failed' && t.green === 'passed');
}

function whyUnproven(proof: CriterionProof | undefined): string {
  if (!proof || proof.tests.length === 0) return 'no proof test was written for it';
  if (proof.tests.some((t) => t.red === 'failed' && t.green === 'failed')) return 'its proof test fails';
  if (proof.tests.every((t) => t.red === 'broken')) return 'its proof tests could not run on the base (broken)';
  if (proof.tests.every((t) => t.red === 'passed')) return 'its proof tests pass on the base too (they show nothing)';
  return 'no proof test of it failed on the base and passes now';
}

/** The frozen proof tests' files: written by the proof agent, checked by being run. */
export function frozenProofFiles(ctx: RunContext): Set<string> {
  return new Set(Object.keys(latestFrozen(ctx.events)?.hashes ?? {}));
}
