/**
 * `gc` for worktree runs (issue 22): the worktrees and refs of runs nobody will use again. A
 * finished run's worktree stays for its Apply, a stopped one's for its resume.
 */
import { posix, resolve } from 'node:path';
import { loadConfig } from '../../project/config';
import {
  deleteRef,
  listWorktreeRefs,
  listWorktrees,
  locateRepo,
  pruneWorktrees,
  removeWorktree,
  repoWorktreeFolder,
  runIdOfRef,
  worktreeFolders,
} from '../../git';
import { activeRunLock, listRuns } from '../../journal';
import { forgetCompletion, journal } from './openRun';

export interface WorktreeGcResult {
  removedWorktrees: string[];
  deletedRefs: string[];
  /** Worktree runs that were killed and never resumed: journaled as discarded, their worktrees and refs removed. */
  discardedRuns: string[];
}

/** A worktree run whose process is gone before it finished: interrupted (kill -9, a crash) or cancelled (Ctrl-C). */
const KILLED = new Set(['interrupted', 'cancelled']);

/**
 * `gc`, for worktree runs: removes every worktree in this repository's worktree folder and
 * every worktree ref whose run is no longer pending (applied, branched, discarded, rolled
 * back), was killed and never resumed (discarded now), or has no journal at all (a crash
 * before it, a deleted run folder); then `git worktree prune`. A finished run's worktree stays
 * for its Apply, a stopped one's for its resume, a spec waiting for approval's; the newest
 * `checkpoints.keep` applied runs keep their refs (Show Changes, rollback of the apply), as
 * in-place runs keep their checkpoints.
 */
export async function gcWorktrees(workspace: string): Promise<WorktreeGcResult> {
  const root = resolve(workspace);
  const config = await loadConfig(root);
  const { topLevel } = await locateRepo(root);
  const folder = repoWorktreeFolder(topLevel, config.worktree.dir);
  const pending = new Map<string, string>();
  const applied = new Set<string>();
  const result: WorktreeGcResult = { removedWorktrees: [], deletedRefs: [], discardedRuns: [] };
  // Newest first: the applied runs beyond checkpoints.keep lose their refs.
  for (const run of listRuns(root)) {
    if (run.worktree?.outcome === 'pending' && KILLED.has(run.status)) {
      // Killed (kill -9, Ctrl-C, a closed window) and not resumed: gc is the user saying "clean up".
      journal(root, run.runId, { type: 'worktree.discarded' });
      await forgetCompletion(topLevel, root, run.runId);
      result.discardedRuns.push(run.runId);
      continue;
    }
    if (run.worktree?.outcome === 'pending' && run.status !== 'rolled-back')
      pending.set(run.runId, resolve(run.worktree.path));
    if (run.worktree?.outcome === 'applied' && run.status !== 'rolled-back' && applied.size < config.checkpoints.keep)
      applied.add(run.runId);
  }
  const running = activeRunLock(root)?.runId;
  const registered = (await listWorktrees(topLevel)).filter((path) => resolve(path).startsWith(resolve(folder)));
  for (const path of new Set([...worktreeFolders(folder), ...registered].map((p) => resolve(p)))) {
    const runId = posix.basename(path.replace(/\\/g, '/'));
    if (pending.get(runId) === path || activeRunLock(path)) continue;
    // An attempt's worktree (`<runId>-<layer>-<k>`, docs/attempts.md) of a run going now.
    if (running && runId.startsWith(`${running}-`)) continue;
    await removeWorktree(topLevel, path, folder);
    result.removedWorktrees.push(path);
  }
  await pruneWorktrees(topLevel);
  for (const ref of await listWorktreeRefs(topLevel)) {
    const runId = runIdOfRef(ref);
    if (pending.has(runId) || applied.has(runId)) continue;
    await deleteRef(topLevel, ref);
    result.deletedRefs.push(ref);
  }
  return result;
}
