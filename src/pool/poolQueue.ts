/**
 * The pool feeding our merge queue (issue 74, docs/merge-queue.md): the result branches of the
 * pool's completed runs — approved runs, each `orchestrator/<spec-slug>` on the team's remote —
 * fetched under refs of ours (as `apply` fetches one; no branch of the user's is made or moved)
 * and handed to `orchestrator queue` in the order the runs completed. A result the target holds
 * already is named apart by the queue; a follow-up's result continues a pull request's branch,
 * not main's line, and is left to that pull request.
 */
import { hostCheckout, loadConfig } from '../core/engineBundle';
import { fetchFrom, hasCommit, remoteUrl, topLevelOf } from './poolGit';
import { PoolStore } from './poolStore';
import { poolSettings } from './settings';
import type { PoolRun } from './types';

export interface PooledBranches {
  /** The result branches, oldest completion first. */
  branches: string[];
  /** Each branch's ref in the checkout, as fetched. */
  refs: Map<string, string>;
  /** Completed runs whose branch the remote no longer has and whose result this clone does not hold, with git's words. */
  missing: { branch: string; why: string }[];
}

export const pooledResultRef = (runId: string) => `refs/orchestrator/pool/${runId}/result`;

export async function pooledBranches(workspace: string): Promise<PooledBranches> {
  const config = await loadConfig(workspace);
  const store = await PoolStore.open(poolSettings(config).url, 1);
  const runs = await store.list().finally(() => store.close());
  const done = runs
    .filter((run) => run.status === 'completed' && run.resultBranch && !run.flags.followUp)
    .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  const result: PooledBranches = { branches: [], refs: new Map(), missing: [] };
  if (done.length === 0) return result;
  const top = await topLevelOf(workspace);
  const remote = await remoteUrl(top, config.pool.remote);
  const spec = (run: PoolRun) => `refs/heads/${run.resultBranch}:${pooledResultRef(run.runId)}`;
  // One fetch for all; only when a branch is gone, one each, to tell which.
  const all = await fetchFrom(top, remote, done.map(spec)).then(
    () => true,
    () => false,
  );
  for (const run of done) {
    const branch = run.resultBranch!;
    const why = all
      ? undefined
      : await fetchFrom(top, remote, [spec(run)]).then(
          () => undefined,
          (error: Error) => error.message.split('\n')[0]!,
        );
    // A branch deleted once merged: its result, still held here, is the queue's to find on main already.
    if (why !== undefined && !(run.resultCommit && (await hasCommit(top, run.resultCommit)))) {
      result.missing.push({ branch, why });
      continue;
    }
    if (why !== undefined) await hostCheckout.moveRef(top, pooledResultRef(run.runId), run.resultCommit!);
    result.branches.push(branch);
    result.refs.set(branch, pooledResultRef(run.runId));
  }
  return result;
}
