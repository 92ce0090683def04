/** The `github.*` entries waiting for pooled runs' journals (outbox.ts keeps them on disk): apart from the runs' lifecycle. */
import { join } from 'node:path';
import type * as PoolBundle from '../pool/index';
import type { EngineEvent, GithubEventType } from '../core/events';
import { redactSecrets } from '../core/text/secrets';
import { GithubOutbox, notIn } from './outbox';
import type { GithubStore, IssueLink } from './store';

type GithubEvent = Extract<EngineEvent, { type: GithubEventType }>;

/** The pool's bundle (dist/pool.js, with its PostgreSQL client), loaded only when a pool is configured. */
export function pool(): typeof PoolBundle {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../pool/index') as typeof PoolBundle;
}

export interface NotesDoor {
  workspace: string;
  store: GithubStore;
  log(line: string): void;
  /** One thing at a time per run (pooledIssues.ts): an entry is added in turn with the run's looks and decisions. */
  serially(runId: string, work: () => Promise<void>): Promise<void>;
}

export class PooledNotes {
  /** `github.*` entries not yet in a run's journal (a worker writes it now), each kept in the outbox too. */
  private readonly pending = new Map<string, PoolBundle.NoteEntry[]>();
  private readonly outbox: GithubOutbox;

  constructor(private readonly door: NotesDoor) {
    this.outbox = new GithubOutbox(join(door.store.dir, 'outbox', 'pooled'));
  }

  /** Whether some run's entries still wait for its journal. */
  get waiting(): boolean {
    return this.pending.size > 0;
  }

  /** The entries waiting for the run's journal now, in order. */
  waitingFor(runId: string): PoolBundle.NoteEntry[] {
    return [...(this.pending.get(runId) ?? [])];
  }

  /** What a killed serve kept for pooled runs' journals and the pool's journal does not have yet: waiting again, in order. */
  async replay(): Promise<void> {
    for (const runId of this.outbox.runs()) {
      const link = this.door.store.ofRun(runId);
      const journal = link?.pooled
        ? await pool()
            .pooledEvents(this.door.workspace, runId)
            .catch((error: unknown) => {
              this.door.log(
                `github: pooled run ${runId}'s kept GitHub events wait for the next start (the pool's journal could not be read): ${redactSecrets((error as Error).message).text}`,
              );
            })
        : undefined;
      if (!link?.pooled) this.outbox.takenNow(runId); // No pooled run of ours: nowhere to add them.
      if (!link?.pooled || journal === undefined) continue;
      const missing = notIn(journal, this.outbox.read(runId));
      if (missing.length === 0) {
        this.outbox.takenNow(runId);
        continue;
      }
      this.pending.set(
        runId,
        missing.map((k) => ({ ...k.event, ts: k.at })),
      );
      void this.door
        .serially(runId, () => this.flush(link))
        .catch((error: unknown) => {
          this.door.log(`github: pooled run ${runId}'s journal: ${redactSecrets((error as Error).message).text}`);
        });
    }
  }

  /**
   * A `github.*` entry in the pooled run's journal (the pool's mirrored journal, which each worker
   * taking the run writes into its worktree): added after its last entry whenever no worker writes
   * it (at a gate, ended); until then it waits here, in order.
   */
  journal(link: IssueLink, event: GithubEvent): void {
    const waiting = this.pending.get(link.runId) ?? [];
    // On disk before the action it records is acknowledged: kill -9 of serve loses none (`replay`).
    let at: string | undefined;
    try {
      at = this.outbox.keep(link.runId, event);
    } catch (error) {
      this.door.log(
        `github: pooled run ${link.runId}'s event ${event.type} is not on disk yet: ${(error as Error).message}`,
      );
    }
    waiting.push(this.entry(event, at));
    this.pending.set(link.runId, waiting);
    void this.door
      .serially(link.runId, () => this.flush(link))
      .catch((error: unknown) => {
        this.door.log(`github: pooled run ${link.runId}'s journal: ${redactSecrets((error as Error).message).text}`);
      });
  }

  /** The first `count` entries waiting for the run's journal are in it now (more may have come meanwhile). */
  written(runId: string, count: number): void {
    const entries = this.pending.get(runId);
    entries?.splice(0, count);
    if (entries?.length !== 0) return;
    this.pending.delete(runId);
    this.outbox.takenNow(runId);
  }

  /** Stamped when it was kept: a replay knows it in the journal by that. */
  entry(event: GithubEvent, at = new Date().toISOString()): PoolBundle.NoteEntry {
    return { ...event, ts: at };
  }

  /** The entries waiting for the run's journal added to it, unless a worker writes it now. */
  async flush(link: IssueLink): Promise<void> {
    const entries = this.pending.get(link.runId);
    if (!entries?.length) return;
    const batch = [...entries];
    const end = await pool().notePooledRun(this.door.workspace, link.runId, batch);
    if (end === undefined) return; // a worker may be writing its journal: at the next change
    this.written(link.runId, batch.length);
    // The gate as posted now ends after these entries: a decision on it still holds.
    if (link.status === 'waiting') {
      link.journalEnd = end;
      this.door.store.put(link);
    }
  }
}
