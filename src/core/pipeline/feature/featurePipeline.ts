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
import { approvedChanges, implementWithChanges, settleChanges } from '../../change/settleChanges';
import type { Spec } from '../../project/specs/specs';
import { validateLayer } from '../layers/validateLayer';
import { validationStopped } from '../run/reports';

export type PipelineOutcome = 'completed' | 'spec-saved';

export async function featurePipeline(ctx: RunContext): Promise<PipelineOutcome> {
  const understood = await syncAndUnderstand(ctx);
  if ((await specGate(ctx, understood)) === 'saved') return 'spec-saved';

  let spec = await runSpec(ctx);
  const amendmentsBefore = approvedChanges(ctx);
  const layers = specLayers(ctx, spec);
  if (layers.length === 0) return completeWithNothingToDo(ctx, spec);
  requireTrustForValidation(ctx, layers);
  requireTrustForDeploy(ctx);
  // The review's diff is gathered while the last layers' validation commands run.
  let review = new ReviewPrefetch(ctx, spec);
  // Each phase's matrix update runs beside the next phase (it only reads the journal and test
  // files); every way out of this function awaits it, so nothing of the run outlives it.
  let tracing = updateTrace(ctx);
  try {
    // Change requests are picked up before the layers' work, between waves and after it (change/).
    const implement = (current: Spec, between: (s: Spec) => Promise<Spec>) => implementLayers(ctx, current, specLayers(ctx, current), 'implement', () => review.start(), between);
    await checkpointThen(ctx, PHASES.implement, async () => void (spec = await implementWithChanges(ctx, spec, implement)), () => markImplementing(ctx, spec));
    // A request made after IMPLEMENT (or while the run was stopped after it) is settled before REVIEW.
    spec = await settleChanges(ctx, spec);
  } catch (error) {
    await review.discard();
    await tracing;
    await updateTrace(ctx);
    throw error;
  }
  await tracing;
  if (approvedChanges(ctx) !== amendmentsBefore) {
    // The review judges the amended spec's criteria: what was gathered for the earlier one is dropped.
    await review.discard();
    review = new ReviewPrefetch(ctx, spec);
  }
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
  return complete(ctx);
}

/**
 * A spec whose every task was done before import (a ticked Kiro or Spec Kit folder, a Mustard
 * folder in QA review): no agent runs. The layers the done work is in are validated as they are
 * (the orchestrator runs their commands; a failure stops the run with the seed's report), the
 * review has no change of this run to read, and COMPLETE archives the spec with its matrix.
 */
async function completeWithNothingToDo(ctx: RunContext, spec: Spec): Promise<PipelineOutcome> {
  ctx.emit({ type: 'log', level: 'info', message: 'Nothing left to implement: every task of the spec was done before import (or no layer owns what is left). Validate the work as it is, then COMPLETE with the traceability matrix.' });
  const checked = spec.frontMatter.layers.filter((layer) => (ctx.config.layers[layer]?.validate.length ?? 0) > 0);
  requireTrustForValidation(ctx, checked);
  await inPhase(ctx, PHASES.review, async () => {
    for (const layer of checked) {
      const failure = await validateLayer(ctx, layer);
      if (failure) throw validationStopped({ layer, retries: 0, max: 0, command: failure.command, error: failure.output });
    }
    ctx.emit({ type: 'review.skipped', reason: `nothing changed in this run: the work was done before it${checked.length ? ` (validated as it is: ${checked.join(', ')})` : ''}` });
  });
  return complete(ctx);
}

/** COMPLETE: the trace gate, then the registry and the archive; the matrix is brought up to date after it. */
async function complete(ctx: RunContext): Promise<PipelineOutcome> {
  await inPhase(ctx, PHASES.complete, async () => {
    const current = await runSpec(ctx);
    await traceGate(ctx, current);
    await completePhase(ctx, current);
  });
  await updateTrace(ctx);
  if (hasDeployStep(ctx)) await inPhase(ctx, PHASES.deploy, () => deployPhase(ctx));
  return 'completed';
}
