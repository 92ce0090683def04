/**
 * CHECKPOINT: before any layer writes, the work tree is snapshotted on the private ref
 * `refs/orchestrator/{runId}` (HEAD, index, stash and branch untouched). Without git the
 * run goes on with a warning: no diff from a snapshot and no rollback.
 */
import { createCheckpoint } from '../git/checkpoint';
import type { RunContext } from './runContext';

export async function checkpointPhase(ctx: RunContext): Promise<void> {
  if (ctx.state().checkpoint) return;
  const checkpoint = await createCheckpoint(ctx.workspace, ctx.runId, (message) => ctx.warn(message));
  if (checkpoint) ctx.emit({ type: 'checkpoint.created', ref: checkpoint.ref, commit: checkpoint.commit });
}
