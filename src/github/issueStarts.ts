/** An issue starting its run (who may, here or on the pool), and that run's end made its pull request (channel.ts tracks the runs). */
import type { GithubJournalEvent, RunOptions, RunSummary } from '../core/api';
import { engine, newRunId } from '../core/engineBundle';
import { redactSecrets } from '../core/text/secrets';
import type { GithubClient } from './client';
import { note } from './comments';
import { issueRunFinished } from './issuePull';
import type { IssuesPayload } from './payloads';
import type { ChannelPlace } from './runPlace';
import type { GithubStore, IssueLink } from './store';

type Kind = 'feature' | 'bugfix';

/** What the channel lends the issues' starts. */
export interface StartDoor {
  workspace: string;
  client: GithubClient;
  store: GithubStore;
  place: ChannelPlace;
  journal(runId: string, event: GithubJournalEvent): Promise<void>;
  say(link: IssueLink, text: string): Promise<void>;
  /** A line of serve's output. */
  log(line: string): void;
  refused?(by: string, what: string): void;
  /** Sends the run to the pool of workers (pooledIssues.ts), when `queue.url` names one. */
  pooled?: (issue: IssuesPayload['issue'], kind: Kind, by: string, request: string) => Promise<void>;
  /** Runs it here, linked, gated and journaled (channel.ts), its end handed to `after`. */
  track(
    link: IssueLink,
    launch: (options: RunOptions) => Promise<RunSummary>,
    after: (summary: RunSummary | undefined, error?: unknown) => Promise<void>,
  ): Promise<void>;
}

export class IssueStarts {
  /** Issues whose run is being started (the permission asked, the pool dispatched), not stored yet. */
  private readonly starting = new Set<number>();

  constructor(private readonly door: StartDoor) {}

  async start(issue: IssuesPayload['issue'], kind: 'feature' | 'bugfix', by: string): Promise<void> {
    const previous = this.door.store.ofIssue(issue.number);
    if (previous && (previous.status === 'running' || previous.status === 'waiting')) return;
    // The label and an `/orchestrator feature` comment arrive together: the second waits for no
    // permission answer of its own, it is the same issue's run.
    if (this.starting.has(issue.number)) return;
    this.starting.add(issue.number);
    try {
      await this.startChecked(issue, kind, by);
    } finally {
      this.starting.delete(issue.number);
    }
  }

  private async startChecked(issue: IssuesPayload['issue'], kind: 'feature' | 'bugfix', by: string): Promise<void> {
    if (!(await this.door.client.canWrite(by))) {
      this.door.refused?.(by, 'start');
      await this.door.client.comment(
        issue.number,
        note('refused', `@${by}: only collaborators with write access may start a run. Nothing was started.`),
      );
      return;
    }
    const request = `${issue.title}\n\n${(issue.body ?? '').trim()}\n\n(GitHub issue #${issue.number}: ${issue.html_url})`;
    if (this.door.pooled) return this.door.pooled(issue, kind, by, request);
    const link: IssueLink = {
      issue: issue.number,
      issueUrl: issue.html_url,
      runId: newRunId(),
      kind,
      by,
      status: 'running',
    };
    this.door.log(`github: issue #${issue.number} starts run ${link.runId} (${kind}) for @${by}`);
    const run = kind === 'bugfix' ? engine.runBugfix : engine.runFeature;
    // Never the served checkout: each issue's run has a worktree of its own, its result a branch,
    // made from the committed code (HEAD), not a snapshot of whatever the checkout holds uncommitted
    // (a job's checkout is the run's own: it works there, runPlace.ts).
    await this.door.track(
      link,
      (options) => run(request, { ...options, ...this.door.place.fresh }),
      (summary, error) => this.ended(link, summary, error),
    );
  }

  /** A run from an issue ended: its pull request, or why not, said on the issue (never thrown at serve). */
  async ended(link: IssueLink, summary: RunSummary | undefined, error?: unknown): Promise<void> {
    try {
      if (!summary) throw error;
      const { workspace, client, store, log, place } = this.door;
      const kept = (runId: string) => place.kept(workspace, runId);
      await issueRunFinished(
        { workspace, client, store, log, journal: this.door.journal, say: this.door.say, kept },
        link,
        summary,
      );
    } catch (failure) {
      link.status = link.status === 'completed' ? 'completed' : 'failed';
      this.door.store.put(link);
      const message = redactSecrets((failure as Error).message, [
        await this.door.client.pushToken().catch(() => ''),
      ]).text;
      this.door.log(`github: run ${link.runId} of issue #${link.issue}: ${message}`);
      await this.door
        .say(
          link,
          link.status === 'completed'
            ? `Run ${link.runId} completed, but its pull request could not be made: ${message}`
            : `Run ${link.runId} failed: ${message}`,
        )
        .catch(() => {});
    }
  }
}
