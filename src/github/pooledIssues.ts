/**
 * Runs from issues on the pool of workers (issue 39 with issue 28): when the workspace's config
 * names a PostgreSQL pool (`queue.url`), a labelled issue is dispatched as `feature --pool` would
 * be, from the repository's committed HEAD (never the serving checkout's uncommitted files; pushed
 * to the team's remote as the run's base), and any free worker takes it. The
 * pool's own gate stands: the worker stops at the spec, the run waits in the database holding no
 * worker, and the spec is posted on the issue as for a local run; `/approve` from a collaborator
 * queues it again with that gate approved (`approvePooledSpec`, as the portal and the sidebar
 * approve pooled specs). Once completed, its result branch `orchestrator/<slug>` (on the team's
 * remote; pushed to GitHub with the token if that remote is another) becomes the pull request.
 * The pool is followed live (LISTEN/NOTIFY) and read again on reconnection and at start.
 * Follow-ups of its pull request (a CI failure, a change request: followUps.ts) go to the pool too
 * (`followUp`); their end goes back to followUps.ts, which pushes and says it as for a local run.
 */
import type * as PoolBundle from '../pool/index';
import type { SpecDecisionRequest } from '../core/host';
import type { EngineEvent } from '../core/events';
import { gitAt, loadConfig, type FollowUpInput } from '../core/engineBundle';
import { redactSecrets } from '../shared/secrets';
import type { GithubClient } from './client';
import type { GateState } from './comments';
import { pushBranch, pushableRemote } from './gitPush';
import { pullOfRun, whatTheRunDid } from './runFacts';
import type { GithubStore, IssueLink } from './store';

/** What the channel lends the pooled runs (channel.ts keeps the spec comment). */
export interface PooledDoor {
  workspace: string;
  client: GithubClient;
  store: GithubStore;
  log(line: string): void;
  say(link: IssueLink, text: string): Promise<void>;
  postSpec(link: IssueLink, request: SpecDecisionRequest, gate: GateState): Promise<string>;
  /** A follow-up of a pull request ended on the pool (completed, stopped or failed): pushed and said by followUps.ts. */
  followUpEnded(link: IssueLink, run: PoolBundle.PoolRun): Promise<void>;
}

/** The pool's bundle (dist/pool.js, with its PostgreSQL client), loaded only when a pool is configured. */
function pool(): typeof PoolBundle {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../pool/index') as typeof PoolBundle;
}

/** Whether the workspace's config (or ORCHESTRATOR_QUEUE_URL) names a PostgreSQL pool. */
export function poolConfigured(queueUrl: string | undefined): boolean {
  return /^postgres(ql)?:\/\//.test(queueUrl ?? process.env.ORCHESTRATOR_QUEUE_URL ?? '');
}

export class PooledIssues {
  private watching?: Promise<() => Promise<void>>;
  /** One look at a run at a time (a NOTIFY can come while the last look is posting). */
  private readonly looking = new Map<string, Promise<void>>();

  constructor(private readonly door: PooledDoor) {}

  /** Follows the pool for the runs of issues still open (a serve restarted meanwhile), then each change. */
  async open(): Promise<void> {
    if (this.door.store.links().some((link) => link.pooled && (link.status === 'running' || link.status === 'waiting'))) await this.follow();
  }

  async start(issue: { number: number; html_url: string }, kind: IssueLink['kind'], by: string, request: string): Promise<void> {
    await this.follow();
    const run = await pool().dispatchToPool(this.door.workspace, { kind, request, flags: {}, labels: [], fromHead: true });
    this.door.store.put({ issue: issue.number, issueUrl: issue.html_url, runId: run.runId, kind, by, status: 'running', pooled: true });
    this.door.log(`github: issue #${issue.number} sent to the pool as run ${run.runId} (${kind}) for @${by}`);
  }

  /** Whether a pooled run of ours is going (queued, running, or waiting at its gate). */
  going(runId: string): boolean {
    const link = this.door.store.ofRun(runId);
    return link?.pooled === true && (link.status === 'running' || link.status === 'waiting');
  }

  /** A follow-up of a pooled run's pull request, sent to the pool under `next`'s run id (linked first: the pool's first word about it finds it). */
  async followUp(next: IssueLink, from: IssueLink, input: FollowUpInput): Promise<void> {
    if (!from.branch || !input.base) throw new Error(`run ${from.runId} has no branch to continue`);
    await this.follow();
    next.pooled = true;
    this.door.store.put(next);
    const followUp = { of: from.runId, ...(input.fix ? { fix: input.fix } : {}), ...(input.change !== undefined ? { change: input.change } : {}) };
    await pool().dispatchFollowUp(this.door.workspace, { runId: next.runId, followUp, base: input.base, branch: from.branch });
    this.door.log(`github: pull request #${next.pull?.number ?? '?'} of issue #${next.issue}: follow-up of run ${from.runId} sent to the pool as run ${next.runId}`);
  }

  /** A completed pooled follow-up's result commit (its wip ref), fetched here from the team's remote (pushed to GitHub from here, with the token). */
  async fetchResult(run: PoolBundle.PoolRun): Promise<string> {
    if (!run.resultCommit) throw new Error(`pooled run ${run.runId} completed without its result`);
    const team = await pool().poolRemoteUrl(this.door.workspace, (await loadConfig(this.door.workspace)).pool.remote);
    await gitAt(this.door.workspace).raw(['fetch', '--quiet', '--no-tags', team, `+${pool().poolRefs.wip(run.runId)}:refs/orchestrator/pool/${run.runId}/result`]);
    return run.resultCommit;
  }

  async events(runId: string): Promise<EngineEvent[]> {
    return (await pool().pooledEvents(this.door.workspace, runId)) as unknown as EngineEvent[];
  }

  /** `/approve` of a pooled run at its gate: queued again for any free worker with that gate approved. */
  async approve(link: IssueLink, by: string): Promise<void> {
    if (link.status !== 'waiting' || !link.specId) {
      await this.door.say(link, `@${by}: run ${link.runId} is not waiting for a decision (${link.status}).`);
      return;
    }
    const queued = await pool().approvePooledSpec(this.door.workspace, link.specId, link.journalEnd !== undefined ? { journalEnd: link.journalEnd } : {});
    if (!queued) {
      await this.door.say(link, `@${by}: run ${link.runId} moved on since its spec was posted (decided elsewhere?); nothing was done.`);
      return;
    }
    link.status = 'running';
    this.door.store.put(link);
    await this.editSpec(link, { state: 'decided', action: 'approve', by: `@${by}` });
  }

  async close(): Promise<void> {
    const stop = await this.watching?.catch(() => undefined);
    await stop?.();
    await Promise.allSettled([...this.looking.values()]);
  }

  private follow(): Promise<() => Promise<void>> {
    const again = () => this.door.store.links().filter((link) => link.pooled && link.status !== 'completed').forEach((link) => this.look(link.runId));
    this.watching ??= pool().watchPool(this.door.workspace, (change) => this.look(change.runId), again).then((stop) => {
      again();
      return stop;
    });
    return this.watching;
  }

  private look(runId: string): void {
    const link = this.door.store.ofRun(runId);
    if (!link?.pooled) return;
    const previous = this.looking.get(runId) ?? Promise.resolve();
    const next = previous.then(() => this.settle(link)).catch((error: unknown) => {
      this.door.log(`github: pooled run ${runId} of issue #${link.issue}: ${redactSecrets((error as Error).message).text}`);
    });
    this.looking.set(runId, next);
    void next.finally(() => {
      if (this.looking.get(runId) === next) this.looking.delete(runId);
    });
  }

  /** What the pool says of the run now, said on the issue once. */
  private async settle(link: IssueLink): Promise<void> {
    const run = await pool().pooledRun(this.door.workspace, link.runId);
    if (!run) return;
    if (run.status === 'awaiting-approval') {
      const wait = (await pool().pooledWaiting(this.door.workspace)).find((w) => w.run.runId === run.runId);
      if (!wait || !run.specId || !run.spec || (link.status === 'waiting' && link.journalEnd === wait.journalEnd)) return;
      link.specId = run.specId;
      link.status = 'waiting';
      link.journalEnd = wait.journalEnd;
      this.door.store.put(link);
      await this.door.postSpec(link, { specId: run.specId, specPath: run.spec.path, markdown: run.spec.markdown, ...(wait.gate ? { phase: wait.gate.phase } : {}) }, { state: 'waiting' });
      return;
    }
    if (link.status === 'waiting' && (run.status === 'queued' || run.status === 'running')) {
      // Approved elsewhere (the portal, the sidebar, `approve` on a terminal).
      link.status = 'running';
      this.door.store.put(link);
      await this.editSpec(link, { state: 'decided', action: 'approve', by: 'the portal or a terminal' });
      return;
    }
    if (link.of && (run.status === 'completed' || run.status === 'stopped' || run.status === 'failed')) {
      // A follow-up of the pull request: followUps.ts pushes its result and says it there (once: it settles the link).
      if (link.status === 'running' || link.status === 'waiting') await this.door.followUpEnded(link, run);
      return;
    }
    if (run.status === 'completed' && link.status !== 'completed') {
      link.status = 'completed';
      this.door.store.put(link);
      await this.openPull(link, run).catch(async (error: unknown) => {
        await this.door.say(link, `Run ${link.runId} completed on the pool, but its pull request could not be made: ${redactSecrets((error as Error).message, [await this.door.client.pushToken().catch(() => '')]).text}`);
      });
      return;
    }
    if ((run.status === 'stopped' || run.status === 'failed') && link.status !== 'stopped' && link.status !== 'failed') {
      link.status = run.status;
      this.door.store.put(link);
      await this.door.say(link, `Run ${link.runId} ended ${run.status} on the pool${run.reason ? `: ${run.reason}` : ''}. Nothing was pushed.`);
    }
  }

  private async editSpec(link: IssueLink, gate: GateState): Promise<void> {
    const run = await pool().pooledRun(this.door.workspace, link.runId);
    if (run?.specId && run.spec) await this.door.postSpec(link, { specId: run.specId, specPath: run.spec.path, markdown: run.spec.markdown }, gate);
  }

  private async openPull(link: IssueLink, run: PoolBundle.PoolRun): Promise<void> {
    const { workspace, client } = this.door;
    if (!run.resultBranch || !run.resultCommit) throw new Error(`pooled run ${run.runId} completed without its result branch`);
    const events = await pool().pooledEvents(workspace, run.runId);
    const { matrix, runners } = whatTheRunDid(events);
    if (!matrix) throw new Error(`pooled run ${run.runId} completed without its traceability matrix`);
    const defaultBranch = await client.defaultBranch();
    const config = await loadConfig(workspace);
    const team = await pool().poolRemoteUrl(workspace, config.pool.remote);
    // On GitHub already when the team's remote is the repository itself (the worker pushed it); else brought here and pushed with the token.
    if (team !== (await pushableRemote(workspace).catch(() => undefined))) {
      await gitAt(workspace).raw(['fetch', '--quiet', '--no-tags', team, `+refs/heads/${run.resultBranch}:refs/orchestrator/pool/${run.runId}/result`]);
      await pushBranch(workspace, run.resultBranch, run.resultCommit, await client.pushToken(), defaultBranch);
    }
    link.branch = run.resultBranch;
    this.door.store.put(link);
    const pull = await pullOfRun(client, this.door.store, link, { runId: run.runId, branch: run.resultBranch, base: defaultBranch, matrix, runners, spec: run.spec?.markdown ?? '', costUsd: run.costUsd });
    await this.door.say(link, `Pull request #${pull.number} opened from \`${run.resultBranch}\` (run ${run.runId} on the pool): ${pull.url}`);
  }
}
