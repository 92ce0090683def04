/**
 * The end of a run of this serve from an issue (issue 39): a completed one has its branch pushed
 * with the token and its pull request opened (found when serve stopped after GitHub opened it),
 * each journaled with its address and said on the issue; any other end is said there, nothing
 * pushed. Nothing is ever pushed to the default branch (gitPush.ts).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { RunSummary } from '../core/api';
import type { EngineEvent, GithubEventType } from '../core/events';
import { engine } from '../core/engineBundle';
import type { GithubClient } from './client';
import { pushBranch } from './gitPush';
import { pullOfRun, whatTheRunDid } from './runFacts';
import type { GithubStore, IssueLink } from './store';

export interface IssuePullDoor {
  workspace: string;
  client: GithubClient;
  store: GithubStore;
  journal(runId: string, event: Extract<EngineEvent, { type: GithubEventType }>): Promise<void>;
  say(link: IssueLink, text: string): Promise<void>;
  /** serve's own output. */
  log(line: string): void;
  /** The completed run's result as a branch (runPlace.ts: serve's worktree branched, a job's checkout snapshotted). */
  kept(runId: string): Promise<{ branch: string; commit: string }>;
}

export async function issueRunFinished(door: IssuePullDoor, link: IssueLink, summary: RunSummary): Promise<void> {
  if (link.status === 'cancelled') return;
  if (link.paused && summary.status !== 'completed')
    return door.log(
      `github: run ${link.runId} of issue #${link.issue} stopped with serve; it resumes when serve starts again`,
    );
  if (summary.status !== 'completed') {
    link.status = 'stopped';
    door.store.put(link);
    await door.say(
      link,
      `Run ${link.runId} ended ${summary.status}${summary.error ? `: ${summary.error}` : ''}. Nothing was pushed.`,
    );
    return;
  }
  link.status = 'completed';
  door.store.put(link);
  await pushAndOpenPull(door, link, summary);
}

async function pushAndOpenPull(door: IssuePullDoor, link: IssueLink, summary: RunSummary): Promise<void> {
  const { workspace, client, store } = door;
  const filesRoot = await engine.runFilesRoot(workspace, link.runId);
  const spec = summary.specPath ? await readFile(resolve(filesRoot, summary.specPath), 'utf8').catch(() => '') : '';
  const { matrix, runners, attempts, unchecked } = whatTheRunDid(
    (await engine.runEvents(workspace, link.runId, 'journal')).map((line) => JSON.parse(line) as EngineEvent),
  );
  if (!matrix) throw new Error(`run ${link.runId} of spec ${link.specId} completed without its traceability matrix`);
  const { branch, commit } = await door.kept(link.runId);
  const defaultBranch = await client.defaultBranch();
  await pushBranch(workspace, branch, commit, await client.pushToken(), defaultBranch);
  link.branch = branch;
  store.put(link);
  await door.journal(link.runId, {
    type: 'github.pushed',
    url: link.issueUrl.replace(/\/issues\/\d+$/, `/tree/${branch}`),
    detail: commit,
  });
  const pull = await pullOfRun(client, store, link, {
    runId: link.runId,
    branch,
    base: defaultBranch,
    matrix,
    runners,
    attempts,
    ...(unchecked ? { unchecked } : {}),
    spec,
    costUsd: summary.costUsd,
  });
  await door.journal(link.runId, { type: 'github.pr.opened', url: pull.url, detail: `#${pull.number}` });
  await door.say(link, `Pull request #${pull.number} opened from \`${branch}\`: ${pull.url}`);
}
