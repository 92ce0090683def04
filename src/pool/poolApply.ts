/**
 * `apply <runId>` of a pooled run from any clone: its result branch `orchestrator/<spec-slug>` and
 * its base (`refs/orchestrator/base/<runId>`) are fetched from the team's remote, then issue 22's
 * three-way apply brings the result into the working tree (a conflict writes nothing).
 */
import type { ApplyReport } from '../core/pipeline/run';
import { engine, loadConfig } from '../core/engineBundle';
import { fetchFrom, remoteUrl, topLevelOf } from './poolGit';
import { pooledResultRef } from './poolQueue';
import { PoolStore } from './poolStore';
import { poolSettings } from './settings';

export async function applyPooledRun(workspace: string, runId: string): Promise<ApplyReport & { branch: string }> {
  const config = await loadConfig(workspace);
  const store = await PoolStore.open(poolSettings(config).url, 1);
  const run = await store.get(runId).finally(() => store.close());
  if (!run) throw new Error(`No run ${runId} in this workspace or in the pool (see: orchestrator runs --pool).`);
  if (run.status !== 'completed' || !run.resultBranch || !run.resultCommit) {
    throw new Error(
      `Pooled run ${runId} is ${run.status}${run.reason ? ` (${run.reason})` : ''}: only a completed run has a result to apply.`,
    );
  }
  const top = await topLevelOf(workspace);
  const remote = await remoteUrl(top, config.pool.remote);
  await fetchFrom(top, remote, [
    `refs/heads/${run.resultBranch}:${pooledResultRef(runId)}`,
    `${run.changesRef}:${run.changesRef}`,
  ]);
  const report = await engine.applyPooledResult(top, runId, run.changesCommit, run.resultCommit);
  return { ...report, branch: run.resultBranch };
}
