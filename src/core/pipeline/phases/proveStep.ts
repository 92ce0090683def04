/**
 * PROVE in the order of the phases: after the approval, before IMPLEMENT (a bugfix: before FIX),
 * overlapped with CHECKPOINT like the phase that changes files, since the proof agent writes the
 * tests (a rollback removes them; the review's diff shows them). Off, or nothing to prove: one
 * line says why, once per run; advisory: one line says so.
 */
import type { Spec } from '../../project/specs';
import { PHASES, type RunContext } from '../kernel';
import { proofMode, provePhase, proveSkipReason } from '../proof';
import { checkpointThen } from './checkpointPhase';
import { markImplementing } from './implementPhase';

export async function proveStep(ctx: RunContext, spec: Spec): Promise<void> {
  const skip = proveSkipReason(ctx, spec);
  const say = (line: string) => {
    if (!ctx.events.some((e) => e.type === 'log' && e.message === line))
      ctx.emit({ type: 'log', level: 'info', message: line });
  };
  if (skip) return say(skip);
  const { mode, why } = proofMode(ctx.config);
  if (mode === 'advisory' && why) say(why);
  await checkpointThen(
    ctx,
    PHASES.prove,
    () => provePhase(ctx, spec),
    () => markImplementing(ctx, spec),
  );
}
