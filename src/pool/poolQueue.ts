/**
 * The pool feeding our merge queue (issue 74, docs/merge-queue.md): the result branches of the
 * pool's completed runs — approved runs, each `orchestrator/<spec-slug>` on the team's remote —
 * fetched under refs of ours (as `apply` fetches one; no branch of the user's is made or moved)
 * and handed to `orchestrator queue` in the order the runs completed. A result the target holds
 * already is named apart by the queue; a follow-up's result continues a pull request's branch,
 * not main's line, and is left to that pull request.
 */
import { loadConfig } from '../core/engineBundle';
import { fetchFrom, remoteUrl, topLevelOf } from './poolGit';
import { PoolStore } from './poolStore';
import { poolSettings } from './settings';

export interface PooledBranches {
  /** The result branches, oldest completion first. */
  branches: string[];
  /** Each branch's ref in the checkout, as fetched. */
  refs: Map<string, string>;
  /** Completed runs whose branch the remote no longer has (deleted once merged elsewhere), with git's words. */
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
  const top = await topLevelOf(workspace);
  const remote = done.length > 0 ? await remoteUrl(top, config.pool.remote) : '';
  const result: PooledBranches = { branches: [], refs: new Map(), missing: [] };
  for (const run of done) {
    const branch = run.resultBranch!;
    try {
      await fetchFrom(top, remote, [`refs/heads/${branch}:${pooledResultRef(run.runId)}`]);
    } catch (error) {
      result.missing.push({ branch, why: (error as Error).message.split('\n')[0]! });
      continue;
    }
    result.branches.push(branch);
    result.refs.set(branch, pooledResultRef(run.runId));
  }
  return result;
}
