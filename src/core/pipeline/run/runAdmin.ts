/**
 * Looking at and undoing finished runs: the files a run changed, a file's bytes at its
 * checkpoint, rollback, and a registry sync outside any run.
 */
import { resolve } from 'node:path';
import type { ChangedFile, RollbackReport, RunOptions } from '../../api';
import {
  checkpointRef,
  fileAtCheckpoint as gitFileAtCheckpoint,
  hasGit,
  pruneCheckpointRefs,
  type PruneResult,
  rollbackRun,
} from '../../git';
import { acquireRunLock, activeRunLock, Journal, newRunId, readEvents, type RunState } from '../../journal';
import { knownRunState } from './runLookup';
import { loadConfig } from '../../project/config';
import { loadProjectFiles } from '../../project/registry';
import { EngineUsageError } from '../../errors';
import { PHASES, runChangedFiles } from '../kernel';
import { runSyncCommands } from '../phases';
import { untickRun } from '../layers';
import { gcWorktrees, type WorktreeGcResult } from './worktreeGc';
import { rollbackApplied, worktreeFilesOf } from './worktreeFiles';

export async function changesOfRun(workspace: string, runId: string): Promise<ChangedFile[]> {
  const root = resolve(workspace);
  const state = knownRunState(root, runId);
  return runChangedFiles(await filesOfRun(root, runId), state);
}

/**
 * Where a run's files are now: the checkout, or — for a worktree run not yet applied,
 * branched or discarded — the run's place in its worktree (Show Changes compares with it).
 */
export async function filesOfRun(workspace: string, runId: string): Promise<string> {
  const root = resolve(workspace);
  const state = knownRunState(root, runId);
  return worktreeFilesOf(root, state);
}

export async function checkpointBytes(workspace: string, runId: string, path: string): Promise<Buffer | undefined> {
  const root = resolve(workspace);
  const state = knownRunState(root, runId);
  return state.checkpoint ? gitFileAtCheckpoint(root, state.checkpoint.ref, path) : undefined;
}

/**
 * Restores exactly the files the run wrote or deleted to their checkpoint bytes and removes
 * only the files it created. Refused while any run holds the workspace.
 */
export async function rollbackOfRun(workspace: string, runId: string): Promise<RollbackReport> {
  const root = resolve(workspace);
  const state = knownRunState(root, runId);
  if (state.status === 'running')
    throw new EngineUsageError(`Run ${runId} is still running; cancel it before rolling it back.`);
  if (state.status === 'rolled-back') throw new EngineUsageError(`Run ${runId} was already rolled back.`);
  if (!state.checkpoint) throw new EngineUsageError(noCheckpoint(runId, state));
  if (state.worktree && state.worktree.outcome !== 'pending' && state.worktree.outcome !== 'applied') {
    throw new EngineUsageError(
      `Run ${runId} was ${state.worktree.outcome}: none of it is in your files, so there is nothing to roll back.`,
    );
  }
  // A worktree run not applied yet is rolled back in its worktree; an applied one in the checkout, as the apply changed it.
  const inWorktree = state.worktree?.outcome === 'pending';
  const where = inWorktree ? worktreeFilesOf(root, state) : root;
  if (inWorktree && where === root)
    throw new EngineUsageError(`The worktree of run ${runId} (${state.worktree!.path}) is gone; nothing to roll back.`);
  const lock = acquireRunLock(inWorktree ? state.worktree!.path : root, `rollback-${runId}`);
  try {
    const result =
      state.worktree?.outcome === 'applied'
        ? await rollbackApplied(root, runId, state)
        : await rollbackRun(where, state.checkpoint.ref, state.files);
    // Its work is gone: so are the ticks it gave its spec (issue 71); approving the spec again does it all again.
    await untickRun(where, await loadConfig(root), readEvents(root, runId)).catch(() => undefined);
    const report = { restored: result.restored, removed: result.removed };
    // Journaled, so the run is no longer one to resume (its layers' work is gone).
    const journal = Journal.open(root, runId);
    try {
      journal.append({ type: 'run.rolled-back', ...report });
    } finally {
      journal.close();
    }
    return report;
  } finally {
    lock.release();
  }
}

/**
 * `orchestrator gc`: deletes checkpoint refs beyond `checkpoints.keep` (newest kept). The ref
 * of a run holding the workspace lock is always kept.
 */
export async function gcCheckpoints(workspace: string): Promise<PruneResult & Partial<WorktreeGcResult>> {
  const root = resolve(workspace);
  const config = await loadConfig(root);
  const active = activeRunLock(root)?.runId;
  const protect = active && /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(active) ? [checkpointRef(active)] : [];
  const pruned = await pruneCheckpointRefs(root, config.checkpoints.keep, protect);
  // Worktrees and worktree refs nobody will use again (issue 22); nothing to do without git.
  return (await hasGit(root)) ? { ...pruned, ...(await gcWorktrees(root)) } : pruned;
}

/** Why a run has no checkpoint: it ended before CHECKPOINT (it changed no files), or there was no git. */
function noCheckpoint(runId: string, state: RunState): string {
  if (state.phaseStatus[PHASES.checkpoint] !== 'done') {
    const how =
      {
        stopped: 'stopped',
        cancelled: 'was cancelled',
        'spec-saved': 'saved its spec',
        completed: 'ended',
        interrupted: 'was interrupted',
      }[state.status as string] ?? 'ended';
    const where = state.currentPhase ?? state.phases.at(-1)?.name;
    return `Run ${runId} ${how} before its checkpoint${where ? ` (in ${where})` : ''}: it changed no files, so there is nothing to roll back.`;
  }
  return `Run ${runId} has no git checkpoint (the workspace was not a git repository), so it cannot be rolled back.`;
}

/** The project's sync commands, outside any run (the editor's "Sync registry"). */
export async function syncOutsideRun(opts: RunOptions): Promise<void> {
  const workspace = resolve(opts.workspace);
  const config = await loadConfig(workspace);
  const lock = acquireRunLock(workspace, `sync-${newRunId()}`);
  try {
    const emit = (event: Parameters<RunOptions['host']['onEvent']>[0]) => opts.host.onEvent(event);
    emit({ type: 'phase.started', phase: 'SYNC' });
    const started = Date.now();
    await runSyncCommands(
      { workspace, config, host: opts.host, emit, ...(opts.signal ? { signal: opts.signal } : {}) },
      'SYNC',
    );
    // What the commands wrote is read as a run would read it: broken JSON throws, the rest warns.
    for (const message of (await loadProjectFiles(workspace)).warnings) emit({ type: 'log', level: 'warn', message });
    emit({ type: 'phase.completed', phase: 'SYNC', ms: Date.now() - started });
  } finally {
    lock.release();
  }
}
