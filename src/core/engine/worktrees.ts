/**
 * The contract's places of a run's work: checkpoints and rollback, worktree runs, the pool's snapshots and applies,
 * gc.
 */
import { resolve } from 'node:path';
import type { ChangedFile, RollbackReport } from '../api';
import { commitWorkTree, createCheckpoint, type PruneResult } from '../git';
import {
  applyPooledResult,
  type ApplyReport,
  applyWorktreeRun,
  branchWorktreeRun,
  changesOfRun,
  checkpointBytes,
  discardWorktreeRun,
  filesOfRun,
  gcCheckpoints,
  rollbackOfRun,
  shelveWorktreeRun,
  type WorktreeGcResult,
} from '../pipeline/run';
import { loadConfig } from '../project/config';
import { query, verb } from './entry';

/**
 * The work tree as it is (uncommitted and untracked files, without denied ones) as a commit; HEAD,
 * index and branch untouched. Kept on `ref` when one is given; without one the commit has no
 * local name (the pool pushes it to the remote, where its ref lives). `parent`: HEAD when the
 * caller knows it (only the tree matters to an apply; the parent is history). `message`: the
 * commit's (a GitHub Action's job makes its run's result with it, a branch's commit).
 */
async function snapshotWorkTree(
  workspace: string,
  runId: string,
  ref: string | undefined,
  deny: readonly string[],
  parent?: string,
  message = `Orchestrator: the work of pooled run ${runId}`,
): Promise<{ commit: string; tree: string } | undefined> {
  if (ref !== undefined) return createCheckpoint(workspace, runId, () => undefined, deny, ref);
  const snapshot = await commitWorkTree(workspace, message, () => undefined, deny, parent);
  return snapshot && { commit: snapshot.commit, tree: snapshot.tree };
}

export const worktrees = {
  rollback: verb(['run.rolled-back'], async (workspace: string, runId: string): Promise<RollbackReport> =>
    rollbackOfRun(workspace, runId),
  ),
  /** Files the run changed since its checkpoint, and a file's bytes at the checkpoint (for diffs). */
  runChanges: query(async (workspace: string, runId: string): Promise<ChangedFile[]> => changesOfRun(workspace, runId)),
  fileAtCheckpoint: query(async (workspace: string, runId: string, path: string): Promise<Buffer | undefined> =>
    checkpointBytes(workspace, runId, path),
  ),
  /**
   * `orchestrator gc`: prunes checkpoint refs beyond `checkpoints.keep`, and removes the worktrees
   * and worktree refs of runs applied, branched, discarded or gone (issue 22).
   */
  gc: verb(['worktree.discarded'], async (workspace: string): Promise<PruneResult & Partial<WorktreeGcResult>> =>
    gcCheckpoints(workspace),
  ),
  /**
   * A finished worktree run's result merged into the working tree (HEAD, index and branch untouched); throws
   * ApplyConflictError on a conflict, having written nothing.
   */
  applyRun: verb(['worktree.applied'], async (workspace: string, runId: string): Promise<ApplyReport> =>
    applyWorktreeRun(workspace, runId),
  ),
  /** A finished worktree run kept as a new branch (default `orchestrator/<spec slug>`); the checkout is untouched. */
  branchRun: verb(
    ['worktree.branched'],
    async (workspace: string, runId: string, name?: string): Promise<{ branch: string; commit: string }> =>
      branchWorktreeRun(workspace, runId, name),
  ),
  /** A worktree run dropped: its worktree and refs removed. */
  discardRun: verb(['worktree.discarded'], async (workspace: string, runId: string): Promise<{ removed: string }> =>
    discardWorktreeRun(workspace, runId),
  ),
  /** Where a new run works by default: the config's `isolation` (in-place when the config does not load). */
  defaultIsolation: query(
    async (workspace: string): Promise<'in-place' | 'worktree'> =>
      (await loadConfig(resolve(workspace)).catch(() => undefined))?.isolation ?? 'in-place',
  ),
  /** Where a run's files are now: its worktree while it waits for Apply, else the workspace. */
  runFilesRoot: query(async (workspace: string, runId: string): Promise<string> => filesOfRun(workspace, runId)),
  /**
   * A worktree run that ended unfinished and that nobody will resume (a pull request's follow-up) put away: its
   * worktree removed, what its agents wrote kept on a new branch (`name`), or nothing kept when they wrote nothing.
   */
  shelveWorktreeRun: verb(['worktree.branched', 'worktree.discarded'], shelveWorktreeRun),
  snapshotWorkTree: verb([], snapshotWorkTree),
  /**
   * The pool: a pooled run's result commit merged into the checkout it was based on, as applyRun merges a worktree
   * run's.
   */
  applyPooledResult: verb([], applyPooledResult),
};
