/**
 * The bugfix pipeline of seed 002: SYNC → DIAGNOSE (read-only) → SPEC with the root cause
 * and the fix → APPROVE → PROVE (the criteria's reproducers, red on the base: docs/proof.md)
 * → FIX by the owning layers → VALIDATE (with retries, the reproducers green) → COMPLETE
 * → DEPLOY (the optional deploy and smoke commands).
 */
import { implementWithChanges } from '../change';
import type { Spec } from '../../project/specs';
import {
  checkpointThen,
  completePhase,
  deployPhase,
  hasDeployStep,
  implementLayers,
  markImplementing,
  proveStep,
  requireTrustForDeploy,
  requireTrustForValidation,
  runSpec,
  specGate,
  specLayers,
  syncAndUnderstand,
} from '../phases';
import { diagnosePhase } from './diagnosePhase';
import { inPhase, PHASES, type PipelineOutcome, type RunContext } from '../kernel';

export async function bugfixPipeline(ctx: RunContext): Promise<PipelineOutcome> {
  const understood = await syncAndUnderstand(ctx);
  if (!ctx.facts().fromSpec) await inPhase(ctx, PHASES.diagnose, () => diagnosePhase(ctx, understood));
  if ((await specGate(ctx, understood, ctx.facts().diagnosis)) === 'saved') return 'spec-saved';

  const spec = await runSpec(ctx);
  const layers = specLayers(ctx, spec);
  requireTrustForValidation(ctx, layers);
  requireTrustForDeploy(ctx);
  // The reproducers, written from the approved spec's criteria and red on the base, before the fix.
  await proveStep(ctx, spec);
  // Change requests (and a follow-up's layer sent back) are settled before, between and after the waves, as in IMPLEMENT.
  const fix = (current: Spec, between: (s: Spec) => Promise<Spec>) =>
    implementLayers(ctx, current, current === spec ? layers : specLayers(ctx, current), 'fix', undefined, between);
  await checkpointThen(
    ctx,
    PHASES.fix,
    async () => void (await implementWithChanges(ctx, spec, fix)),
    () => markImplementing(ctx, spec),
  );
  await inPhase(ctx, PHASES.complete, async () => completePhase(ctx, await runSpec(ctx)));
  if (hasDeployStep(ctx)) await inPhase(ctx, PHASES.deploy, () => deployPhase(ctx));
  return 'completed';
}
