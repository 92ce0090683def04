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
 * The `github.*` entries waiting for a run's journal are on disk first (pooledNotes.ts, `outbox/pooled/`):
 * serve killed meanwhile, its next start adds them to the pool's journal (once) when no worker writes it.
 */
import type * as PoolBundle from '../pool/index';
import type { SpecDecisionRequest } from '../core/host';
import type { EngineEvent, GithubEventType } from '../core/events';
import { gatePlacement, loadConfig, remoteRefs, type FollowUpInput } from '../core/engineBundle';
import { redactSecrets } from '../core/text/secrets';
import type { GithubClient } from './client';
import type { GateState } from './comments';
import { pool, PooledNotes } from './pooledNotes';
import { openPooledPull } from './pooledPull';
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
  /** A run of ours settled as ended (or found so as serve started): the change requests held while it went, started or dropped (heldChanges.ts). */
  ended(link: IssueLink): Promise<void>;
}

/** Whether the workspace's config (or ORCHESTRATOR_QUEUE_URL) names a PostgreSQL pool. */
export function poolConfigured(queueUrl: string | undefined): boolean {
  return /^postgres(ql)?:\/\//.test(queueUrl ?? process.env.ORCHESTRATOR_QUEUE_URL ?? '');
}

type GithubEvent = Extract<EngineEvent, { type: GithubEventType }>;

export class PooledIssues {
  private watching?: Promise<() => Promise<void>>;
  /** One look at a run at a time (a NOTIFY can come while the last look is posting), decisions and journal entries in turn with them. */
  private readonly looking = new Map<string, Promise<void>>();
  /** The `github.*` entries waiting for the runs' journals (pooledNotes.ts). */
  private readonly notes: PooledNotes;
  /** Completed runs whose pull request is being opened: a change asked meanwhile is held for it, not refused. */
  private readonly opening = new Set<string>();

  constructor(private readonly door: PooledDoor) {
    const { workspace, store, log } = door;
    this.notes = new PooledNotes({ workspace, store, log, serially: (runId, work) => this.serially(runId, work) });
  }

  /** The entries a killed serve left waiting taken up again; the pool followed for the runs of issues still open, then each change. */
  async open(): Promise<void> {
    await this.notes.replay();
    if (
      this.notes.waiting ||
      this.door.store.links().some((link) => link.pooled && (link.status === 'running' || link.status === 'waiting'))
    )
      await this.follow();
    // Serve stopped after a run ended and before its held changes were started: started now (a run still going is looked at by `follow`).
    for (const link of this.door.store
      .links()
      .filter((l) => l.pooled && l.heldChanges?.length && !this.going(l.runId))) {
      void this.serially(link.runId, () => this.door.ended(link)).catch((error: unknown) => {
        this.door.log(
          `github: the changes held for pooled run ${link.runId}: ${redactSecrets((error as Error).message).text}`,
        );
      });
    }
  }

  async start(
    issue: { number: number; html_url: string },
    kind: IssueLink['kind'],
    by: string,
    request: string,
  ): Promise<void> {
    await this.follow();
    const run = await pool().dispatchToPool(this.door.workspace, {
      kind,
      request,
      flags: {},
      labels: [],
      fromHead: true,
    });
    const link: IssueLink = {
      issue: issue.number,
      issueUrl: issue.html_url,
      runId: run.runId,
      kind,
      by,
      status: 'running',
      pooled: true,
    };
    this.door.store.put(link);
    this.journal(link, { type: 'github.issue.linked', url: issue.html_url, by });
    this.door.log(`github: issue #${issue.number} sent to the pool as run ${run.runId} (${kind}) for @${by}`);
  }

  /** Whether a pooled run of ours is going (queued, running, or waiting at its gate), or completed and opening its pull request. */
  going(runId: string): boolean {
    const link = this.door.store.ofRun(runId);
    return link?.pooled === true && (link.status === 'running' || link.status === 'waiting' || this.opening.has(runId));
  }

  /** A follow-up of a pooled run's pull request, sent to the pool under `next`'s run id (linked first: the pool's first word about it finds it). */
  async followUp(next: IssueLink, from: IssueLink, input: FollowUpInput): Promise<void> {
    if (!from.branch || !input.base) throw new Error(`run ${from.runId} has no branch to continue`);
    await this.follow();
    next.pooled = true;
    this.door.store.put(next);
    const followUp = {
      of: from.runId,
      ...(input.fix ? { fix: input.fix } : {}),
      ...(input.change !== undefined ? { change: input.change } : {}),
    };
    await pool().dispatchFollowUp(this.door.workspace, { runId: next.runId, followUp, base: input.base });
    this.journal(next, {
      type: 'github.issue.linked',
      url: next.issueUrl,
      by: next.by,
      detail: `follow-up of run ${from.runId}`,
    });
    this.door.log(
      `github: pull request #${next.pull?.number ?? '?'} of issue #${next.issue}: follow-up of run ${from.runId} sent to the pool as run ${next.runId}`,
    );
  }

  /** A completed pooled follow-up's result commit (its wip ref), fetched here from the team's remote (pushed to GitHub from here, with the token). */
  async fetchResult(run: PoolBundle.PoolRun): Promise<string> {
    if (!run.resultCommit) throw new Error(`pooled run ${run.runId} completed without its result`);
    const team = await pool().poolRemoteUrl(this.door.workspace, (await loadConfig(this.door.workspace)).pool.remote);
    await remoteRefs.fetch(this.door.workspace, team, [
      `+${pool().poolRefs.wip(run.runId)}:refs/orchestrator/pool/${run.runId}/result`,
    ]);
    return run.resultCommit;
  }

  async events(runId: string): Promise<EngineEvent[]> {
    return (await pool().pooledEvents(this.door.workspace, runId)) as unknown as EngineEvent[];
  }

  /**
   * `/approve` or `/changes <what>` of a pooled run at its gate: queued again for any free worker
   * with that gate's answer (the approval, or the changes for its spec agent, which writes the spec
   * again: the run then waits at the gate again and the spec comment is edited). Only on the gate
   * that was posted (its journal's end as read): decided elsewhere since, nothing is done.
   */
  decide(
    link: IssueLink,
    decision: { action: 'approve' } | { action: 'changes'; feedback: string },
    by: string,
    url: string,
  ): Promise<void> {
    return this.serially(link.runId, async () => {
      if (link.status !== 'waiting' || !link.specId) {
        await this.door.say(link, `@${by}: run ${link.runId} is not waiting for a decision (${link.status}).`);
        return;
      }
      if (decision.action === 'changes' && !decision.feedback.trim()) {
        await this.door.say(
          link,
          `@${by}: say what to change (\`/changes <what>\`): the feedback goes to the spec agent. Nothing was done.`,
        );
        return;
      }
      const decided = this.notes.entry({ type: 'github.spec.decided', url, by, detail: decision.action });
      const earlier = this.notes.waitingFor(link.runId);
      const extra = {
        ...(link.journalEnd !== undefined ? { journalEnd: link.journalEnd } : {}),
        notes: [...earlier, decided],
        by: `github:${by}`,
      };
      const queued =
        decision.action === 'approve'
          ? await pool().approvePooledSpec(this.door.workspace, link.specId, extra)
          : await pool().requestPooledChanges(
              this.door.workspace,
              link.specId,
              { feedback: decision.feedback, by: `github:${by}` },
              extra,
            );
      if (!queued) {
        await this.door.say(
          link,
          `@${by}: run ${link.runId} moved on since its spec was posted (decided elsewhere?); nothing was done.`,
        );
        return;
      }
      this.notes.written(link.runId, earlier.length);
      link.status = 'running';
      this.door.store.put(link);
      await this.editSpec(link, { state: 'decided', action: decision.action, by: `@${by}` });
    });
  }

  /**
   * `/cancel` of a pooled run, queued, at its gate or running: stopped in the pool at once (a worker
   * running it hears so and stops its agents; nothing of it is pushed), said in one comment.
   */
  cancel(link: IssueLink, by: string, url: string): Promise<void> {
    return this.serially(link.runId, async () => {
      await this.cancelRun(link, by, url);
      await this.door.ended(link);
    });
  }

  private async cancelRun(link: IssueLink, by: string, url: string): Promise<void> {
    const before = link.status;
    if (before !== 'running' && before !== 'waiting') {
      await this.door.say(link, `@${by}: run ${link.runId} is not running (${before}).`);
      return;
    }
    // Cancelled here before the pool announces it: the announcement is not taken for a stop of the pool's own.
    link.status = 'cancelled';
    this.door.store.put(link);
    const stopped = await pool()
      .cancelPooledRun(this.door.workspace, link.runId, `cancelled by @${by} on GitHub`)
      .catch((error: unknown) => {
        link.status = before;
        this.door.store.put(link);
        throw error;
      });
    if (!stopped) {
      link.status = before;
      this.door.store.put(link);
      await this.door.say(link, `@${by}: run ${link.runId} had ended on the pool already; nothing was done.`);
      return;
    }
    this.journal(link, { type: 'github.cancelled', url, by });
    if (stopped.was === 'awaiting-approval') await this.editSpec(link, { state: 'cancelled', by });
    const what =
      stopped.was === 'running'
        ? `its worker (${stopped.run.worker ?? 'on the pool'}) stops its agents`
        : stopped.was === 'queued'
          ? 'no worker had taken it'
          : 'it was waiting at its gate';
    await this.door.say(
      link,
      `Run ${link.runId} cancelled by @${by}: stopped on the pool (${what}). Nothing was pushed.`,
    );
  }

  /** A `github.*` entry in the pooled run's journal, when no worker writes it (pooledNotes.ts). */
  journal(link: IssueLink, event: GithubEvent): void {
    this.notes.journal(link, event);
  }

  async close(): Promise<void> {
    const stop = await this.watching?.catch(() => undefined);
    await stop?.();
    await Promise.allSettled([...this.looking.values()]);
  }

  private follow(): Promise<() => Promise<void>> {
    const again = () =>
      this.door.store
        .links()
        .filter((link) => link.pooled && link.status !== 'completed')
        .forEach((link) => this.look(link.runId));
    this.watching ??= pool()
      .watchPool(this.door.workspace, (change) => this.look(change.runId), again)
      .then((stop) => {
        again();
        return stop;
      });
    return this.watching;
  }

  private look(runId: string): void {
    const link = this.door.store.ofRun(runId);
    if (!link?.pooled) return;
    void this.serially(runId, async () => {
      await this.settle(link);
      await this.door.ended(link);
    }).catch((error: unknown) => {
      this.door.log(
        `github: pooled run ${runId} of issue #${link.issue}: ${redactSecrets((error as Error).message).text}`,
      );
    });
  }

  /** One thing at a time per run (a look, a decision, a journal entry): each sees what the one before did. */
  private serially(runId: string, work: () => Promise<void>): Promise<void> {
    const next = (this.looking.get(runId) ?? Promise.resolve()).catch(() => undefined).then(work);
    const kept = next.catch(() => undefined);
    this.looking.set(runId, kept);
    void kept.finally(() => {
      if (this.looking.get(runId) === kept) this.looking.delete(runId);
    });
    return next;
  }

  /** What the pool says of the run now, said on the issue once. */
  private async settle(link: IssueLink): Promise<void> {
    const run = await pool().pooledRun(this.door.workspace, link.runId);
    if (!run) return;
    if (run.status !== 'queued' && run.status !== 'running') await this.notes.flush(link);
    if (run.status === 'awaiting-approval') {
      const wait = (await pool().pooledWaiting(this.door.workspace)).find((w) => w.run.runId === run.runId);
      if (!wait || !run.specId || !run.spec || (link.status === 'waiting' && link.journalEnd === wait.journalEnd))
        return;
      link.specId = run.specId;
      link.status = 'waiting';
      link.journalEnd = wait.journalEnd;
      this.door.store.put(link);
      const placement = wait.gate ? undefined : gatePlacement(run.spec.markdown, await loadConfig(this.door.workspace));
      const posted = await this.door.postSpec(
        link,
        {
          specId: run.specId,
          specPath: run.spec.path,
          markdown: run.spec.markdown,
          ...(wait.gate ? { phase: wait.gate.phase } : {}),
          ...(placement ? { placement } : {}),
        },
        { state: 'waiting' },
      );
      this.journal(link, { type: 'github.spec.posted', url: posted });
      return;
    }
    if (link.status === 'waiting' && (run.status === 'queued' || run.status === 'running')) {
      // Decided elsewhere (the portal, the sidebar, `approve` on a terminal): the last decision is the one in its flags.
      link.status = 'running';
      this.door.store.put(link);
      await this.editSpec(link, {
        state: 'decided',
        action: run.flags.changes ? 'changes' : 'approve',
        by: 'the portal or a terminal',
      });
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
      this.opening.add(link.runId);
      await openPooledPull(this.door, (event) => this.journal(link, event), link, run)
        .catch(async (error: unknown) => {
          await this.door.say(
            link,
            `Run ${link.runId} completed on the pool, but its pull request could not be made: ${redactSecrets((error as Error).message, [await this.door.client.pushToken().catch(() => '')]).text}`,
          );
        })
        .finally(() => this.opening.delete(link.runId));
      return;
    }
    if (
      (run.status === 'stopped' || run.status === 'failed') &&
      link.status !== 'stopped' &&
      link.status !== 'failed' &&
      link.status !== 'cancelled'
    ) {
      link.status = run.status;
      this.door.store.put(link);
      await this.door.say(
        link,
        `Run ${link.runId} ended ${run.status} on the pool${run.reason ? `: ${run.reason}` : ''}. Nothing was pushed.`,
      );
    }
  }

  private async editSpec(link: IssueLink, gate: GateState): Promise<void> {
    const run = await pool().pooledRun(this.door.workspace, link.runId);
    if (run?.specId && run.spec)
      await this.door.postSpec(
        link,
        { specId: run.specId, specPath: run.spec.path, markdown: run.spec.markdown },
        gate,
      );
  }
}
