/**
 * The bugfix pipeline of seed 002: SYNC → DIAGNOSE (read-only) → SPEC with the root cause
 * and the fix → APPROVE → FIX by the owning layers → VALIDATE (with retries) → COMPLETE
 * → DEPLOY (the optional deploy and smoke commands).
 */
import { implementWithChanges } from '../change/settleChanges';
import type { Spec } from '../../project/specs/specs';
import { checkpointThen } from '../phases/checkpointPhase';
import { completePhase } from '../phases/completePhase';
import { deployPhase, hasDeployStep, requireTrustForDeploy } from '../phases/deployPhase';
import { diagnosePhase } from './diagnosePhase';
import type { PipelineOutcome } from '../kernel/outcome';
import { requireTrustForValidation, specGate, syncAndUnderstand } from '../phases/frontPhases';
import { implementLayers, markImplementing, runSpec, specLayers } from '../phases/implementPhase';
import { PHASES, inPhase } from '../kernel/phase';
import type { RunContext } from '../kernel/runContext';

export async function bugfixPipeline(ctx: RunContext): Promise<PipelineOutcome> {
  const understood = await syncAndUnderstand(ctx);
  if (!ctx.facts().fromSpec) await inPhase(ctx, PHASES.diagnose, () => diagnosePhase(ctx, understood));
  if ((await specGate(ctx, understood, ctx.facts().diagnosis)) === 'saved') return 'spec-saved';

  const spec = await runSpec(ctx);
  const layers = specLayers(ctx, spec);
  requireTrustForValidation(ctx, layers);
  requireTrustForDeploy(ctx);
  // Change requests (and a follow-up's layer sent back) are settled before, between and after the waves, as in IMPLEMENT.
  const fix = (current: Spec, between: (s: Spec) => Promise<Spec>) => implementLayers(ctx, current, current === spec ? layers : specLayers(ctx, current), 'fix', undefined, between);
  await checkpointThen(ctx, PHASES.fix, async () => void (await implementWithChanges(ctx, spec, fix)), () => markImplementing(ctx, spec));
  await inPhase(ctx, PHASES.complete, async () => completePhase(ctx, await runSpec(ctx)));
  if (hasDeployStep(ctx)) await inPhase(ctx, PHASES.deploy, () => deployPhase(ctx));
  return 'completed';
}
