/**
 * What the pool of workers (src/pool, issue 28) needs of the engine beyond the facade: it hosts
 * runs in worktrees of its own clone of the team's remote, continues pooled runs whose spec was
 * approved elsewhere, and snapshots their work to push it. Exported through engineBundle.ts.
 */
import type { RunOptions, RunSummary } from './api';
import { commitWorkTree, createCheckpoint } from './git';
import { resumeRun, type SavedChanges } from './pipeline/run';

export { loadConfig } from './project/config';
export { linkFolders } from './git';
export { newRunId } from './journal';
export { rebuildState } from './journal';
export { applyPooledResult } from './pipeline/run';

/** A pooled run whose saved spec was approved elsewhere: it continues after SPEC on the worker that took it. */
export async function continueApprovedRun(runId: string, specId: string, opts: RunOptions): Promise<RunSummary> {
  return resumeRun(runId, opts, specId);
}

/** A pooled run whose saved spec was sent back with changes: on the worker that took it, its spec agent writes it again and the gate asks again. */
export async function reviseSavedRun(runId: string, changes: SavedChanges, opts: RunOptions): Promise<RunSummary> {
  return resumeRun(runId, opts, changes);
}

/**
 * The work tree as it is (uncommitted and untracked files, without denied ones) as a commit; HEAD,
 * index and branch untouched. Kept on `ref` when one is given; without one the commit has no
 * local name (the pool pushes it to the remote, where its ref lives). `parent`: HEAD when the
 * caller knows it (only the tree matters to an apply; the parent is history). `message`: the
 * commit's (a GitHub Action's job makes its run's result with it, a branch's commit).
 */
export async function snapshotWorkTree(workspace: string, runId: string, ref: string | undefined, deny: readonly string[], parent?: string, message = `Orchestrator: the work of pooled run ${runId}`): Promise<{ commit: string; tree: string } | undefined> {
  if (ref !== undefined) return createCheckpoint(workspace, runId, () => undefined, deny, ref);
  const snapshot = await commitWorkTree(workspace, message, () => undefined, deny, parent);
  return snapshot && { commit: snapshot.commit, tree: snapshot.tree };
}
