/**
 * CHECKPOINT: before any layer writes, the work tree is snapshotted on the private ref
 * `refs/orchestrator/{runId}` (HEAD, index, stash and branch untouched). Without git the
 * run goes on with a warning: no diff from a snapshot and no rollback.
 *
 * The snapshot does not hold up the phase that changes files: it is taken while that
 * phase's first agents start (they read and wait for the model, which takes far longer),
 * and every file change and validation command waits for it (RunContext.writesAllowed).
 * The changing phase completes only after it, so the journal's order of completed phases
 * and a resume are as if they had run one after the other.
 */
import { createCheckpoint } from '../../git';
import { isPhaseDone } from '../../journal';
import { inPhase, PHASES, type RunContext } from '../kernel';

export async function checkpointPhase(ctx: RunContext): Promise<void> {
  if (ctx.state().checkpoint) return;
  // Restricted Mode runs nothing from the workspace, git included (it would run fsmonitor, hooks, filters).
  if (!ctx.host.isTrusted())
    return ctx.warn('The workspace is not trusted: no git checkpoint, so no diff or rollback for this run.');
  const checkpoint = await createCheckpoint(
    ctx.workspace,
    ctx.runId,
    (message) => ctx.warn(message),
    ctx.config.privacy.deny,
  );
  if (checkpoint) ctx.emit({ type: 'checkpoint.created', ref: checkpoint.ref, commit: checkpoint.commit });
}

/**
 * CHECKPOINT, overlapped with `phase` (IMPLEMENT, a bugfix's FIX) running `work`. `before`
 * runs first when `phase` is still to do: whatever writes files must not run beside the
 * snapshot (`git add` fails on a temp file that disappears under it).
 */
export async function checkpointThen(
  ctx: RunContext,
  phase: string,
  work: () => Promise<void>,
  before?: () => Promise<void>,
): Promise<void> {
  if (before && !isPhaseDone(ctx.state(), phase)) await before();
  const checkpoint = inPhase(ctx, PHASES.checkpoint, () => checkpointPhase(ctx));
  ctx.writesAllowed = checkpoint;
  // Awaited below in every case; this only keeps an early failure from counting as unhandled.
  checkpoint.catch(() => undefined);
  try {
    await inPhase(ctx, phase, async () => {
      await work();
      await checkpoint;
    });
  } catch (error) {
    // A failed snapshot is the cause worth reporting (the agents' writes failed on it).
    await checkpoint;
    throw error;
  }
}
