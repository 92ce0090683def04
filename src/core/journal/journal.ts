import {
  closeSync,
  existsSync,
  fdatasyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { EngineEvent, EventSink } from '../events';
import { parseJournal, type JournalEntry } from './journalLines';
import { redactDeep } from '../text/secrets';
import { journalPath } from './runPaths';

export { JournalCorruptError, type JournalEntry } from './journalLines';

export interface JournalOptions {
  /** Secret values in use (the API key, the base URL's password) to redact, besides anything shaped like a credential. */
  secrets?: readonly string[];
  /**
   * Also fdatasync after every append. Without it an appended event survives a killed or
   * crashed process (it is in the kernel before `append` returns) but not a power cut.
   */
  fsync?: boolean;
  /** Clock for `ts`; tests pin it. */
  now?: () => Date;
}

/**
 * A run's append-only `events.jsonl`. Appends are synchronous so that the event order on
 * disk is the order of the calls and nothing already appended is lost to a kill -9.
 */
export class Journal {
  private fd: number | undefined;
  /** Secrets found and replaced so far; a non-zero value is worth a warning upstream. */
  redactions = 0;
  /** Appends every event it receives: hand it to whatever emits engine events. */
  readonly sink: EventSink = (event) => {
    this.append(event);
  };

  private constructor(
    readonly runId: string,
    readonly path: string,
    fd: number,
    private seq: number,
    private size: number,
    private readonly options: JournalOptions,
  ) {
    this.fd = fd;
  }

  /** Starts the journal of a new run; fails if that run already has one. */
  static create(workspace: string, runId: string, options: JournalOptions = {}): Journal {
    const path = journalPath(workspace, runId);
    mkdirSync(dirname(path), { recursive: true });
    let fd: number;
    try {
      fd = openSync(path, 'ax');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new Error(`Run ${runId} already has a journal at ${path}; open it to resume instead`);
      }
      throw err;
    }
    return new Journal(runId, path, fd, 0, 0, options);
  }

  /**
   * Reopens an existing run's journal to continue it (resume). A torn last line left by a
   * crash is cut off first, otherwise the next append would glue onto it and corrupt the file.
   */
  static open(workspace: string, runId: string, options: JournalOptions = {}): Journal {
    const path = journalPath(workspace, runId);
    if (!existsSync(path)) throw new Error(`Run ${runId} has no journal at ${path}`);
    const parsed = parseJournal(readFileSync(path), path);
    if (parsed.tornTail) truncateSync(path, parsed.validLength);
    const fd = openSync(path, 'a');
    let size = parsed.validLength;
    if (parsed.missingFinalNewline) size += writeFully(fd, Buffer.from('\n'));
    const lastSeq = parsed.entries.at(-1)?.seq ?? 0;
    return new Journal(runId, path, fd, lastSeq, size, options);
  }

  /**
   * A journal beside this one, in the run's folder (`name` relative to it), with the same secrets
   * redacted, numbering on from `afterSeq`: a part of the run kept apart until it joins the run's
   * own journal (an attempt, docs/attempts.md). An older file of that name is replaced.
   */
  beside(name: string, afterSeq = this.seq): Journal {
    const path = join(dirname(this.path), name);
    mkdirSync(dirname(path), { recursive: true });
    return new Journal(this.runId, path, openSync(path, 'w'), afterSeq, 0, this.options);
  }

  /** The seq of the last appended event (0 when the journal is empty). */
  get lastSeq(): number {
    return this.seq;
  }

  /** Stamps the event with `ts` and the next `seq`, writes it as one line, and returns what was written. */
  append(event: EngineEvent): JournalEntry {
    if (this.fd === undefined) throw new Error(`Journal of run ${this.runId} is closed`);
    // Drop any ts/seq the caller carried over (e.g. re-appending an entry): the journal owns them.
    const { ts: _ts, seq: _seq, ...rest } = event as EngineEvent & { ts?: unknown; seq?: unknown };
    const seq = this.seq + 1;
    const ts = (this.options.now?.() ?? new Date()).toISOString();
    // Last line of defence for "no secret in the journal": events are built by many hands (tool
    // results echo files, errors echo requests), so every string is scrubbed before it is written.
    const { value, count } = redactDeep({ seq, ts, ...rest }, this.options.secrets);
    const text = JSON.stringify(value);
    const line = Buffer.from(`${text}\n`, 'utf8');
    try {
      writeFully(this.fd, line);
      if (this.options.fsync) fdatasyncSync(this.fd);
    } catch (err) {
      // A half-written line would become corruption in the middle once the next append lands.
      try {
        ftruncateSync(this.fd, this.size);
      } catch {
        // The original error is the one worth reporting.
      }
      throw err;
    }
    this.seq = seq;
    this.size += line.length;
    this.redactions += count;
    return JSON.parse(text) as JournalEntry;
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * All events of a run, in order. A torn last line (crash mid-write) is ignored; a corrupt
 * line anywhere else throws a JournalCorruptError naming `file:line`.
 */
export function readEvents(workspace: string, runId: string): JournalEntry[] {
  const path = journalPath(workspace, runId);
  return parseJournal(readFileSync(path), path).entries;
}

/** The events of a journal made with `beside` (a torn last line ignored, a corrupt one named). */
export function readEventsBeside(workspace: string, runId: string, name: string): JournalEntry[] {
  const path = join(dirname(journalPath(workspace, runId)), name);
  return existsSync(path) ? parseJournal(readFileSync(path), path).entries : [];
}

export function hasJournal(workspace: string, runId: string): boolean {
  return existsSync(journalPath(workspace, runId));
}

function writeFully(fd: number, data: Buffer): number {
  let written = 0;
  while (written < data.length) written += writeSync(fd, data, written, data.length - written);
  return written;
}
