/** The runs going in this process: each started once its link and first journal entry are on disk, and its end handed on. */
import type { RunOptions, RunSummary } from '../core/api';
import { redactSecrets } from '../core/text/secrets';
import { GithubRunHost, type GateAsker } from './runHost';
import type { RunJournals } from './runJournal';
import type { ChannelPlace } from './runPlace';
import type { GithubStore, IssueLink } from './store';

export interface LiveRun {
  link: IssueLink;
  controller: AbortController;
  done?: Promise<void>;
}

/** What the channel lends its live runs (channel.ts). */
export interface LiveDoor {
  workspace: string;
  env: NodeJS.ProcessEnv;
  /** Run options beyond the channel's own (tests: the model server's address). */
  runOptions?: Partial<RunOptions>;
  store: GithubStore;
  place: ChannelPlace;
  journals: RunJournals;
  /** Asked the runs' gates and confirmations. */
  asker: GateAsker;
  /** A line of serve's output. */
  log(line: string): void;
}

/** How a run is started or continued, given its options. */
export type LiveLaunch = (options: RunOptions) => Promise<RunSummary>;

export class LiveRuns {
  private readonly runs = new Map<string, LiveRun>();

  constructor(private readonly door: LiveDoor) {}

  get(runId: string): LiveRun | undefined {
    return this.runs.get(runId);
  }

  has(runId: string): boolean {
    return this.runs.has(runId);
  }

  /**
   * A run of an issue, or a follow-up of its pull request (followUps.ts), resumed ones too: linked, gated and journaled, its end handed to `after`.
   * Resolves once its link and its `github.issue.linked` are on disk (a link that could not be written ends the run with that error, said by `after`).
   */
  track(
    link: IssueLink,
    launch: LiveLaunch,
    after: (summary: RunSummary | undefined, error?: unknown) => Promise<void>,
    linked?: string,
  ): Promise<void> {
    // The run starts once its link is on disk (the links of a burst of issues share one write).
    const recorded = this.door.store.record(link);
    const live: LiveRun = { link, controller: new AbortController() };
    this.runs.set(link.runId, live);
    const detail = linked ?? (link.of ? `follow-up of run ${link.of}` : undefined);
    // The run starts once its github.issue.linked is on disk too (runJournal.ts).
    const { kept, journalOwn } = this.door.journals.started(link.runId, {
      type: 'github.issue.linked',
      url: link.issueUrl,
      by: link.by,
      ...(detail ? { detail } : {}),
    });
    const stored = Promise.all([recorded, kept]);
    const options: RunOptions = {
      ...this.door.runOptions,
      ...this.door.place.options,
      workspace: this.door.workspace,
      host: new GithubRunHost(link.runId, this.door.asker, this.door.env),
      signal: live.controller.signal,
      runId: link.runId,
      journalOwn,
    };
    // Whatever fails (the run, the push, GitHub itself) is said by `after` (its own failure in serve's output), never thrown at serve.
    const ended = async (summary?: RunSummary, error?: unknown) => {
      await this.door.journals.ended(link.runId);
      // The run had its decision (issueGates.ts continueParked): nothing to continue it with any more.
      delete link.decided;
      if (link.status === 'cancelled') return;
      // Saved at its gate (parked), or set aside on a confirmation: it waits there for its decision or answer, which continues it.
      // A parked gate's answer the gate refused leaves it parked there too (gateAnswers.ts).
      if (link.parked && (summary?.status === 'spec-saved' || (error !== undefined && link.status === 'waiting')))
        return;
      if (link.confirmation?.parked && summary?.status === 'cancelled') return;
      if (link.paused && summary?.status !== 'completed')
        return this.door.log(`github: run ${link.runId} of issue #${link.issue} ${this.door.place.stopped.closed}`);
      await after(summary, error);
    };
    live.done = stored
      .then(() => this.door.place.ready?.())
      .then(() => launch(options))
      .then(
        (summary) => ended(summary),
        (error: unknown) => ended(undefined, error),
      )
      .catch((error: unknown) =>
        this.door.log(`github: run ${link.runId}: ${redactSecrets((error as Error).message).text}`),
      )
      .finally(() => this.runs.delete(link.runId));
    return stored.then(
      () => undefined,
      () => undefined,
    );
  }

  /** Every run going here ended, and those they started. */
  async settled(): Promise<void> {
    while (this.runs.size > 0) await Promise.allSettled([...this.runs.values()].map((live) => live.done));
  }

  /** Every run going here stopped, paused: each resumes when serve starts again (recovery.ts). */
  async close(): Promise<void> {
    for (const live of this.runs.values()) {
      live.link.paused = true;
      this.door.store.put(live.link);
      live.controller.abort();
    }
    await Promise.allSettled([...this.runs.values()].map((live) => live.done));
  }
}
