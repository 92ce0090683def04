/**
 * PROVE in the order of the phases: after the approval, before IMPLEMENT (a bugfix: before FIX),
 * overlapped with CHECKPOINT like the phase that changes files, since the proof agent writes the
 * tests (a rollback removes them; the review's diff shows them). Off, or nothing to prove: one
 * line says why, once per run.
 */
import type { Spec } from '../../project/specs';
import { PHASES, type RunContext } from '../kernel';
import { provePhase, proveSkipReason } from '../proof';
import { checkpointThen } from './checkpointPhase';
import { markImplementing } from './implementPhase';

export async function proveStep(ctx: RunContext, spec: Spec): Promise<void> {
  const skip = proveSkipReason(ctx, spec);
  if (skip) {
    if (!ctx.events.some((e) => e.type === 'log' && e.message === skip)) ctx.emit({ type: 'log', level: 'info', message: skip });
    return;
  }
  await checkpointThen(ctx, PHASES.prove, () => provePhase(ctx, spec), () => markImplementing(ctx, spec));
}
