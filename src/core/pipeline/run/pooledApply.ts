/**
 * `apply <runId>` of a pooled run (issue 28): its result branch, fetched from the team's remote,
 * merged into the working tree with issue 22's three-way apply (base = the snapshot the run
 * started from: the user's HEAD plus their uncommitted changes then). A conflict writes nothing;
 * what the apply replaces is kept on `refs/orchestrator-worktree/<runId>/before-apply` first.
 */
import { resolve } from 'node:path';
import { beforeApplyRef, commitTree, locateRepo, planApply, setRef, storeBlob, treeOf, writePlan } from '../../git';
import { acquireRunLock } from '../../journal';
import { ApplyConflictError, type ApplyReport } from './worktreeAdmin';

export async function applyPooledResult(
  workspace: string,
  runId: string,
  baseCommit: string,
  resultCommit: string,
): Promise<ApplyReport> {
  const root = resolve(workspace);
  const { topLevel } = await locateRepo(root);
  // In-place runs, applies and rollbacks of this checkout go one at a time.
  const lock = acquireRunLock(root, `apply-${runId}`);
  try {
    const plan = await planApply(topLevel, `${baseCommit}^{tree}`, `${resultCommit}^{tree}`);
    if (plan.conflicts.length > 0) throw new ApplyConflictError(runId, plan.conflicts);
    const before = plan.writes.flatMap((w) =>
      w.current ? [{ path: w.path, mode: w.current.mode, oid: storeBlob(topLevel, w.current.bytes) }] : [],
    );
    const kept = await commitTree(
      topLevel,
      treeOf(topLevel, before),
      `Orchestrator: the files apply of pooled run ${runId} replaced`,
      baseCommit,
    );
    await setRef(topLevel, beforeApplyRef(runId), kept, `orchestrator: before applying pooled run ${runId}`);
    writePlan(topLevel, plan.writes);
    return {
      written: plan.writes.filter((w) => w.next && !w.merged).map((w) => w.path),
      merged: plan.writes.filter((w) => w.merged).map((w) => w.path),
      deleted: plan.writes.filter((w) => !w.next).map((w) => w.path),
      unchanged: plan.same,
    };
  } finally {
    lock.release();
  }
}
