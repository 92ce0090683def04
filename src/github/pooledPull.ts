/** A completed pooled run's result brought to GitHub and made its pull request: apart from following the pool. */
import type * as PoolBundle from '../pool/index';
import type { EngineEvent, GithubEventType } from '../core/events';
import { loadConfig, remoteRefs } from '../core/engineBundle';
import type { GithubClient } from './client';
import { pushBranch, pushableRemote } from './gitPush';
import { pool } from './pooledNotes';
import { pullOfRun, whatTheRunDid } from './runFacts';
import type { GithubStore, IssueLink } from './store';

type GithubEvent = Extract<EngineEvent, { type: GithubEventType }>;

export interface PullDoor {
  workspace: string;
  client: GithubClient;
  store: GithubStore;
  say(link: IssueLink, text: string): Promise<void>;
}

export async function openPooledPull(
  door: PullDoor,
  journal: (event: GithubEvent) => void,
  link: IssueLink,
  run: PoolBundle.PoolRun,
): Promise<void> {
  const { workspace, client } = door;
  if (!run.resultBranch || !run.resultCommit)
    throw new Error(`pooled run ${run.runId} completed without its result branch`);
  const events = await pool().pooledEvents(workspace, run.runId);
  const { matrix, runners, attempts, unchecked } = whatTheRunDid(events);
  if (!matrix) throw new Error(`pooled run ${run.runId} completed without its traceability matrix`);
  const defaultBranch = await client.defaultBranch();
  const config = await loadConfig(workspace);
  const team = await pool().poolRemoteUrl(workspace, config.pool.remote);
  // On GitHub already when the team's remote is the repository itself (the worker pushed it); else brought here and pushed with the token.
  if (team !== (await pushableRemote(workspace).catch(() => undefined))) {
    await remoteRefs.fetch(workspace, team, [
      `+refs/heads/${run.resultBranch}:refs/orchestrator/pool/${run.runId}/result`,
    ]);
    await pushBranch(workspace, run.resultBranch, run.resultCommit, await client.pushToken(), defaultBranch);
    journal({
      type: 'github.pushed',
      url: link.issueUrl.replace(/\/issues\/\d+$/, `/tree/${run.resultBranch}`),
      detail: run.resultCommit,
    });
  }
  link.branch = run.resultBranch;
  door.store.put(link);
  const pull = await pullOfRun(client, door.store, link, {
    runId: run.runId,
    branch: run.resultBranch,
    base: defaultBranch,
    matrix,
    runners,
    attempts,
    ...(unchecked ? { unchecked } : {}),
    spec: run.spec?.markdown ?? '',
    costUsd: run.costUsd,
  });
  journal({ type: 'github.pr.opened', url: pull.url, detail: `#${pull.number}` });
  await door.say(
    link,
    `Pull request #${pull.number} opened from \`${run.resultBranch}\` (run ${run.runId} on the pool): ${pull.url}`,
  );
}
