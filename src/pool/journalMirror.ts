/**
 * A pooled run's journal, mirrored into the database in order, as the engine appends it. What a
 * resuming worker needs before an event is believed comes first: the run's checkpoint ref
 * before `checkpoint.created`, its work (`refs/orchestrator/wip/<runId>`) before a layer's
 * `validation.passed` or the spec's `spec.saved`. So the database never says a layer is done
 * whose work is not on the remote. While the database or the remote is unreachable the mirror
 * waits and tries again (the run goes on; nothing is dropped); a worker that lost the run's
 * lease hears so on its next write and stops.
 */
import * as engine from '../core/engineBundle';
import type { EngineEvent } from '../core/events';
import type { MirroredEntry, PoolStore } from './poolStore';
import type { RunUpdate } from './types';

const RETRY_MS = 1000;
/** How long a saved spec's push waits for the checkpoint that follows an approval (checkpointOrFlush). */
const HOLD_MS = 2000;

/** Events after which the remote must hold the run's refs before the database is told. */
export function needsPush(entry: MirroredEntry): boolean {
  const { checkpoint, validation, specSaved } = engine.meaningOf(entry as unknown as EngineEvent);
  return checkpoint !== undefined || validation?.state === 'passed' || specSaved !== undefined;
}

export interface MirrorHooks {
  /** Pushes what these entries vouch for (the checkpoint ref, the work in progress as it is now), in one push; the wip commit pushed, if any. */
  push(entries: readonly MirroredEntry[]): Promise<string | undefined | void>;
  /** The run is another worker's now. */
  lost(): void;
  trouble(message: string): void;
  /** A write to the database took `ms` (the run's timing line). */
  wrote?(ms: number): void;
}

export class JournalMirror {
  private readonly pending: MirroredEntry[] = [];
  private chain: Promise<void> = Promise.resolve();
  private progress: RunUpdate;
  private flushing = false;
  /** Wakes a spec saved waiting for its checkpoint (checkpointOrFlush). */
  private wake: (() => void) | undefined;
  isLost = false;

  constructor(
    private readonly store: PoolStore,
    private readonly runId: string,
    private readonly worker: string,
    private readonly hooks: MirrorHooks,
    costUsd: number,
  ) {
    this.progress = { costUsd };
  }

  add(entry: MirroredEntry): void {
    this.pending.push(entry);
    if (needsPush(entry)) this.wake?.();
    this.chain = this.chain.then(() => this.drain());
  }

  /** Settles once everything added so far is in the database (or the run was lost); nothing waits for a checkpoint after it. */
  flush(): Promise<void> {
    this.flushing = true;
    this.wake?.();
    return this.chain;
  }

  get costUsd(): number {
    return this.progress.costUsd ?? 0;
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0 && !this.isLost) {
      let end = 1;
      let wipCommit: string | undefined;
      if (needsPush(this.pending[0]!)) {
        if (engine.meaningOf(this.pending[0] as unknown as EngineEvent).specSaved) await this.checkpointOrFlush();
        // Every entry waiting for a push is vouched for by one push (the work is snapshotted after
        // all of them were added): under load they bunch up (a spec saved, then its checkpoint).
        const waiting = this.pending.filter(needsPush);
        wipCommit = (await this.retry('push to the git remote', () => this.hooks.push(waiting))) ?? undefined;
        end = this.pending.lastIndexOf(waiting.at(-1)!) + 1;
      }
      while (end < this.pending.length && !needsPush(this.pending[end]!)) end++;
      const batch = this.pending.slice(0, end);
      const progress = { ...this.progress };
      batch.forEach((entry) => follow(progress, entry));
      const t0 = Date.now();
      // The entries, the run's progress and the wip commit their push left on the remote: one statement.
      const held = await this.retry('mirror the journal', () =>
        this.store.appendEvents(this.runId, this.worker, batch, { ...progress, ...(wipCommit ? { wipCommit } : {}) }),
      );
      this.hooks.wrote?.(Date.now() - t0);
      if (!held) {
        this.isLost = true;
        this.hooks.lost();
        return;
      }
      this.pending.splice(0, end);
      this.progress = progress;
    }
  }

  /**
   * A spec saved and the run approved: its checkpoint follows within moments (the CHECKPOINT
   * phase), and one push carries both refs (and the checkpoint is the work then). A run that
   * stops at the gate flushes at once; a run that goes on without a checkpoint waits HOLD_MS.
   */
  private async checkpointOrFlush(): Promise<void> {
    const until = Date.now() + HOLD_MS;
    while (!this.flushing && !this.pending.slice(1).some(needsPush) && Date.now() < until) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, until - Date.now());
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private async retry<T>(what: string, work: () => Promise<T>): Promise<T> {
    for (let said = false; ; said = true) {
      try {
        return await work();
      } catch (error) {
        if (!said)
          this.hooks.trouble(
            `run ${this.runId}: cannot ${what} yet (${(error as Error).message}); trying again every second`,
          );
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }
}

/** Phase, wave and cost for live views, after `entry`. */
function follow(progress: RunUpdate, entry: MirroredEntry): void {
  const { phase, wave, usage } = engine.meaningOf(entry as unknown as EngineEvent);
  if (phase && phase.ms === undefined) progress.phase = String(phase.name);
  if (wave) progress.wave = `${String(wave.index)}/${String(wave.of)}`;
  if (usage) progress.costUsd = (progress.costUsd ?? 0) + Number(usage.costUsd ?? 0);
}
