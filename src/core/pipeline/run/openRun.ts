/**
 * A worktree run waiting for a decision (apply, branch, discard, shelve; worktreeAdmin.ts), and
 * what those decisions and `gc` share: its result as a tree, its locks, its worktree dropped, its
 * journal written, a discarded run's completion forgotten.
 */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { DenyList, loadConfig, type OrchestratorConfig } from '../../project/config';
import {
  deleteRef,
  deleteRunRefs,
  isInside,
  locateRepo,
  repoWorktreeFolder,
  revParseQuiet,
  writeWorktreeTree,
} from '../../git';
import type { EngineEvent } from '../../events';
import { acquireRunLock, Journal, readEvents, type RunLock, type RunState, type WorktreeState } from '../../journal';
import { completedRef } from '../phases';
import { EngineUsageError } from '../../errors';
import { knownRunState } from './runLookup';
import { RUNS_FOLDER } from './worktreeRun';
import { cleanRunPlace } from './runPlace';

export interface OpenRun {
  root: string;
  topLevel: string;
  config: OrchestratorConfig;
  state: RunState;
  worktree: WorktreeState;
  folder: string;
}

/** A worktree run waiting for a decision, with the checks every decision shares. */
export async function pendingRun(
  workspace: string,
  runId: string,
  action: string,
  needsCompleted: boolean,
): Promise<OpenRun> {
  const root = resolve(workspace);
  const state = knownRunState(root, runId);
  const worktree = state.worktree;
  if (!worktree)
    throw new EngineUsageError(
      `Run ${runId} ran in place: its changes are already in your files (undo them with: orchestrator rollback ${runId}).`,
    );
  if (worktree.outcome !== 'pending')
    throw new EngineUsageError(
      `Run ${runId} was already ${worktree.outcome}${worktree.branch ? ` (branch ${worktree.branch})` : ''}.`,
    );
  if (state.status === 'running')
    throw new EngineUsageError(`Run ${runId} is still running; cancel it before you ${action} it.`);
  // A run rolled back in its worktree has nothing left to apply; discarding it is what remains.
  if (needsCompleted && state.status === 'rolled-back')
    throw new EngineUsageError(`Run ${runId} was rolled back; discard it instead.`);
  if (needsCompleted && state.status !== 'completed') {
    throw new EngineUsageError(
      `Run ${runId} did not complete (${state.status}); continue it with \`orchestrator resume ${runId}\`, or drop it with \`orchestrator discard ${runId}\`.`,
    );
  }
  const config = await loadConfig(root);
  const { topLevel } = await locateRepo(root);
  return { root, topLevel, config, state, worktree, folder: repoWorktreeFolder(topLevel, config.worktree.dir) };
}

/** The worktree's files as git sees them, minus the journals, the secrets and the linked folders. */
export async function runResultTree(run: OpenRun): Promise<string> {
  if (!existsSync(run.worktree.path))
    throw new EngineUsageError(
      `The worktree of run ${run.state.runId} (${run.worktree.path}) is gone; discard the run.`,
    );
  const prefix = relative(run.topLevel, run.root).split(/[\\/]/).filter(Boolean).join('/');
  const linked = run.worktree.linked.map((link) => `/${prefix ? `${prefix}/` : ''}${link}`);
  const deny = new DenyList([...run.config.privacy.deny, RUNS_FOLDER, ...linked]);
  return writeWorktreeTree(await locateRepo(run.worktree.path), deny);
}

/** The worktree's lock (no resume meanwhile) and the checkout's (no in-place run or other apply meanwhile). */
export function lockBoth(run: OpenRun, holder: string): RunLock[] {
  if (!isInside(run.folder, run.worktree.path))
    throw new EngineUsageError(
      `Run ${run.state.runId} names the worktree ${run.worktree.path}, outside this repository's worktree folder ${run.folder}; apply it by hand or discard it.`,
    );
  const worktree = acquireRunLock(run.worktree.path, holder);
  try {
    return [worktree, acquireRunLock(run.root, holder)];
  } catch (error) {
    worktree.release();
    throw error;
  }
}

/**
 * A discarded run's COMPLETE happened in its worktree only: the spec was never applied, so
 * `verify` must not find `refs/orchestrator-completed/<specId>` pointing at its work. The
 * ref goes only while it still names this run's completion (a later run may have completed
 * the same spec for real).
 */
export async function forgetCompletion(topLevel: string, root: string, runId: string): Promise<void> {
  for (const event of readEvents(root, runId)) {
    if (event.type !== 'spec.completed' || !event.commit) continue;
    const ref = completedRef(event.specId);
    const now = await revParseQuiet(topLevel, ref);
    if (now === event.commit) await deleteRef(topLevel, ref, event.commit);
  }
}

export async function dropWorktree(run: OpenRun, withRefs: boolean): Promise<void> {
  await cleanRunPlace({
    kind: 'worktree',
    repo: run.topLevel,
    root: run.worktree.path,
    workspace: run.worktree.workspace,
    folder: run.folder,
  });
  if (withRefs) await deleteRunRefs(run.topLevel, run.state.runId!);
}

export function journal(root: string, runId: string, event: EngineEvent): void {
  const file = Journal.open(root, runId);
  try {
    file.append(event);
  } finally {
    file.close();
  }
}
