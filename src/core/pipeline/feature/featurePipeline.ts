/**
 * The feature pipeline of seed 002: SYNC → UNDERSTAND → SPEC (gate) → CHECKPOINT →
 * IMPLEMENT (waves, validate, retry) → REVIEW (& fix) → COMPLETE → DEPLOY (the optional
 * deploy and smoke commands). Every phase skips what
 * the journal shows as done, so this one function runs fresh and resumed runs alike. The
 * traceability matrix (seed 000) is brought up to date after each phase, and COMPLETE does
 * not archive a spec with a requirement no file implements.
 */
import { checkpointThen } from '../phases/checkpointPhase';
import { completePhase } from '../phases/completePhase';
import { deployPhase, hasDeployStep, requireTrustForDeploy } from '../phases/deployPhase';
import { requireTrustForValidation, specGate, syncAndUnderstand } from '../phases/frontPhases';
import { implementLayers, markImplementing, runSpec, specLayers } from '../phases/implementPhase';
import { PHASES, inPhase } from '../run/phase';
import { ReviewPrefetch, reviewPhase } from './reviewPhase';
import type { RunContext } from '../run/runContext';
import { traceGate, updateTrace } from './traceability';

export type PipelineOutcome = 'completed' | 'spec-saved';

export async function featurePipeline(ctx: RunContext): Promise<PipelineOutcome> {
  const understood = await syncAndUnderstand(ctx);
  if ((await specGate(ctx, understood)) === 'saved') return 'spec-saved';

  const spec = await runSpec(ctx);
  const layers = specLayers(ctx, spec);
  requireTrustForValidation(ctx, layers);
  requireTrustForDeploy(ctx);
  // The review's diff is gathered while the last layers' validation commands run.
  const review = new ReviewPrefetch(ctx, spec);
  // Each phase's matrix update runs beside the next phase (it only reads the journal and test
  // files); every way out of this function awaits it, so nothing of the run outlives it.
  let tracing = updateTrace(ctx);
  try {
    await checkpointThen(ctx, PHASES.implement, () => implementLayers(ctx, spec, layers, 'implement', () => review.start()), () => markImplementing(ctx, spec));
  } catch (error) {
    await review.discard();
    await tracing;
    await updateTrace(ctx);
    throw error;
  }
  await tracing;
  tracing = updateTrace(ctx);
  try {
    await inPhase(ctx, PHASES.review, () => reviewPhase(ctx, spec, review));
  } catch (error) {
    await tracing;
    await updateTrace(ctx);
    throw error;
  }
  await tracing;
  // COMPLETE's check brings the matrix up to date after REVIEW.
  await inPhase(ctx, PHASES.complete, async () => {
    const current = await runSpec(ctx);
    await traceGate(ctx, current);
    await completePhase(ctx, current);
  });
  await updateTrace(ctx);
  if (hasDeployStep(ctx)) await inPhase(ctx, PHASES.deploy, () => deployPhase(ctx));
  return 'completed';
}
