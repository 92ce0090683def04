/**
 * `github.*` events of a run whose journal the engine does not hold yet (it waits for a run slot,
 * makes its worktree, opens its journal): kept here, in the repository's data folder, until they
 * join the journal. Each is on disk (fsync) before the channel goes on, so `kill -9` of serve
 * loses none: what serve left here is added to the run's journal when it starts again, once
 * (an event the journal already took after it was kept here is not added twice).
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { GithubJournalEvent } from '../core/api';
import { engine, Journal } from '../core/engineBundle';

export interface Kept {
  /** When it was kept (ISO): a journal line stamped at or after it with the same fields is this event, taken already. */
  at: string;
  event: GithubJournalEvent;
}

const RUN_ID = /^[A-Za-z0-9._-]+$/;

const line = (event: GithubJournalEvent, at = new Date().toISOString()) =>
  `${JSON.stringify({ at, event } satisfies Kept)}\n`;

export class GithubOutbox {
  constructor(private readonly dir: string) {}

  /** Kept durably (appended and fsynced) before the caller acknowledges the action it records; when (its journal line is stamped so). */
  keep(runId: string, event: GithubJournalEvent): string {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const at = new Date().toISOString();
    const fd = openSync(this.file(runId), 'a', 0o600);
    try {
      writeSync(fd, line(event, at));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return at;
  }

  /**
   * Forgotten at once, in step with `keep` (no event kept meanwhile is lost): for a caller keeping
   * more events of the same run while the earlier ones join its journal (pooledIssues.ts).
   */
  takenNow(runId: string): void {
    rmSync(this.file(runId), { force: true });
  }

  /** The runs with events kept here. */
  runs(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((name) => name.endsWith('.jsonl') && RUN_ID.test(name.slice(0, -'.jsonl'.length)))
      .map((name) => name.slice(0, -'.jsonl'.length));
  }

  /** The run's kept events, in order. */
  read(runId: string): Kept[] {
    const file = this.file(runId);
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((text) => {
        try {
          return text.trim() ? [JSON.parse(text) as Kept] : [];
        } catch {
          return []; // The torn last line of a kill -9 mid-write: that event was never acknowledged.
        }
      });
  }

  /** As `keep`, off the main thread (a run starting, in a burst of them): resolves once it is on disk. */
  async keepSoon(runId: string, event: GithubJournalEvent): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const handle = await open(this.file(runId), 'a', 0o600);
    try {
      await handle.writeFile(line(event));
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /**
   * The run's journal took them all. Removed off the main thread (runs start in bursts); were serve
   * killed first, the replay would find them in the journal already and add none.
   */
  taken(runId: string): Promise<void> {
    return rm(this.file(runId), { force: true });
  }

  /** What serve left here when it stopped, added to each run's journal (said: what could not be). */
  async replay(workspace: string): Promise<string[]> {
    const said = await Promise.all(this.runs().map((runId) => this.settle(workspace, runId)));
    return said.filter((line): line is string => line !== undefined);
  }

  /**
   * The run's kept events added to its journal (those it took already are not added again), then
   * forgotten. A run that never got a journal (it never started) has nowhere to show them: they are
   * dropped. Returns what is worth saying, if anything.
   */
  async settle(workspace: string, runId: string): Promise<string | undefined> {
    if (!existsSync(this.file(runId))) return undefined;
    const kept = this.read(runId);
    let said: string | undefined;
    try {
      const added = await addToJournal(workspace, runId, kept);
      if (added === undefined)
        said = `github: run ${runId} never got a journal: its ${kept.length} GitHub event(s) kept before it started are dropped`;
    } catch (error) {
      return `github: run ${runId}'s GitHub events could not join its journal (kept for the next start): ${(error as Error).message}`;
    }
    await this.taken(runId);
    return said;
  }

  private file(runId: string): string {
    if (!RUN_ID.test(runId)) throw new Error(`not a run id: ${JSON.stringify(runId)}`);
    return join(this.dir, `${runId}.jsonl`);
  }
}

const same = (a: GithubJournalEvent, b: { type: string; url?: unknown; by?: unknown; detail?: unknown }) =>
  a.type === b.type && a.url === b.url && a.by === b.by && a.detail === b.detail;

/** The kept events a journal's lines do not hold yet (a line stamped at or after one's keeping, with its fields, is that event). */
export function notIn(lines: readonly { type: string; ts?: unknown }[], kept: readonly Kept[]): Kept[] {
  return kept.filter(
    (k) => !lines.some((line) => typeof line.ts === 'string' && line.ts >= k.at && same(k.event, line)),
  );
}

/** The kept events the journal does not have yet, appended; undefined when the run has no journal. */
async function addToJournal(workspace: string, runId: string, kept: Kept[]): Promise<number | undefined> {
  const raw = await engine.runEvents(workspace, runId, 'journal').catch(() => undefined);
  if (raw === undefined) return undefined;
  const lines = raw.flatMap((line) => {
    try {
      return [JSON.parse(line) as { type: string; ts: string }];
    } catch {
      return []; // A torn last line: Journal.open cuts it.
    }
  });
  const missing = notIn(lines, kept);
  if (missing.length === 0) return 0;
  const journal = Journal.open(workspace, runId);
  try {
    for (const k of missing) journal.append(k.event);
  } finally {
    journal.close();
  }
  return missing.length;
}
