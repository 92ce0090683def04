/**
 * Where the channel's `github.*` entries of a run go (issue 39): into the engine's journal, in
 * order with its own, while the engine holds it; before that (the run waits for a run slot, makes
 * its worktree) on disk in the outbox (outbox.ts) until it does, so kill -9 of serve loses none;
 * appended to the journal file once the engine is done with it; a pooled run's into the pool's
 * journal (pooledIssues.ts).
 */
import { join } from 'node:path';
import type { GithubJournalEvent } from '../core/api';
import { Journal } from '../core/engineBundle';
import { GithubOutbox } from './outbox';
import type { GithubStore, IssueLink } from './store';

export interface RunJournalDoor {
  workspace: string;
  store: GithubStore;
  log(line: string): void;
  /** A pooled run's entry, for the pool's journal. */
  pooled(link: IssueLink, event: GithubJournalEvent): void;
}

interface Going {
  /** The run's journal while the engine has it open; entries wait in `early` (and durably in the outbox) until it does. */
  append?: (event: GithubJournalEvent) => void;
  early: GithubJournalEvent[];
}

export class RunJournals {
  /** Runs the engine has or will have (started here, not ended): their entries go with the engine's. */
  private readonly going = new Map<string, Going>();
  private readonly outbox: GithubOutbox;

  constructor(private readonly door: RunJournalDoor) {
    this.outbox = new GithubOutbox(join(door.store.dir, 'outbox'));
  }

  /**
   * A run of serve's own starts, its `github.issue.linked` first: kept in the outbox off the main
   * thread (runs start in bursts), `kept` once it is on disk; `journalOwn` is the engine's, told
   * when it opens the run's journal.
   */
  started(
    runId: string,
    linked: GithubJournalEvent,
  ): { kept: Promise<void>; journalOwn: (append: (event: GithubJournalEvent) => void) => void } {
    const going: Going = { early: [linked] };
    this.going.set(runId, going);
    const kept = this.outbox
      .keepSoon(runId, linked)
      .catch((error: unknown) =>
        this.door.log(`github: run ${runId}'s event ${linked.type} is not on disk yet: ${(error as Error).message}`),
      );
    const journalOwn = (append: (event: GithubJournalEvent) => void) => {
      going.append = append;
      if (going.early.length === 0) return;
      going.early.splice(0).forEach(append);
      void this.outbox
        .taken(runId)
        .catch((error: unknown) =>
          this.door.log(
            `github: run ${runId}'s outbox was not emptied (its events are in its journal): ${(error as Error).message}`,
          ),
        );
    };
    return { kept, journalOwn };
  }

  /** The engine is done with the run: its journal is appended to directly; what waited joins it now (it ended before its journal was the engine's: cancelled waiting for a run slot, say). */
  async ended(runId: string): Promise<void> {
    const going = this.going.get(runId);
    this.going.delete(runId);
    if (going && going.early.length > 0)
      await this.outbox.settle(this.door.workspace, runId).then((said) => said && this.door.log(said));
  }

  /** What serve left in the outbox when it stopped, added to each run's journal (said: what could not be). */
  replay(): Promise<string[]> {
    return this.outbox.replay(this.door.workspace);
  }

  /** A `github.*` entry in the run's journal: in order with the engine's while it runs, appended after; a pooled run's in the pool. */
  async write(runId: string, event: GithubJournalEvent): Promise<void> {
    const link = this.door.store.ofRun(runId);
    // A pooled run's journal is the pool's (its workers mirror theirs there): the portal and the sidebar read it.
    if (link?.pooled) return this.door.pooled(link, event);
    const going = this.going.get(runId);
    if (going?.append) return going.append(event);
    if (going) {
      // Not the engine's journal yet: on disk before anything goes on; it joins the journal once the engine opens it.
      try {
        this.outbox.keep(runId, event);
      } catch (error) {
        this.door.log(`github: run ${runId}'s event ${event.type} is not on disk yet: ${(error as Error).message}`);
      }
      going.early.push(event);
      return;
    }
    try {
      const file = Journal.open(this.door.workspace, runId);
      try {
        file.append(event);
      } finally {
        file.close();
      }
    } catch (error) {
      this.door.log(`github: run ${runId}'s journal: ${(error as Error).message}`);
    }
  }
}
