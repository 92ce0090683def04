/**
 * What the pool of workers (src/pool, issue 28) needs of the engine beyond the facade: it hosts
 * runs in worktrees of its own clone of the team's remote, continues pooled runs whose spec was
 * approved elsewhere, and snapshots their work to push it. Exported through engineBundle.ts.
 */
import type { RunOptions, RunSummary } from './api';
import { createCheckpoint } from './git/checkpoint';
import { resumeRun } from './pipeline/run/runner';

export { loadConfig } from './project/config/config';
export { addWorktree, linkFolders, removeWorktree } from './git/worktrees';
export { gitAt } from './git/gitRunner';
export { newRunId } from './journal/runId';
export { rebuildState } from './journal/state';
export { applyPooledResult } from './pipeline/run/pooledApply';

/** A pooled run whose saved spec was approved elsewhere: it continues after SPEC on the worker that took it. */
export async function continueApprovedRun(runId: string, specId: string, opts: RunOptions): Promise<RunSummary> {
  return resumeRun(runId, opts, specId);
}

/** The work tree as it is (uncommitted and untracked files, without denied ones) as a commit on `ref`; HEAD, index and branch untouched. */
export async function snapshotWorkTree(workspace: string, runId: string, ref: string, deny: readonly string[]): Promise<{ commit: string; tree: string } | undefined> {
  return createCheckpoint(workspace, runId, () => undefined, deny, ref);
}
