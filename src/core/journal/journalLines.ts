import type { EngineEvent } from '../events';

/** One journal line: the event plus when it was appended and its position in the run. */
export type JournalEntry = EngineEvent & { ts: string; seq: number };

/** A line in the middle of a journal is unreadable: resuming from it would be guesswork. */
export class JournalCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file}:${line}: corrupt journal line (${reason})`);
    this.name = 'JournalCorruptError';
  }
}

export interface ParsedJournal {
  entries: JournalEntry[];
  /** Byte length of the well-formed prefix: where the next append has to start. */
  validLength: number;
  /** The file ended in an incomplete line (a crash mid-write), which was ignored. */
  tornTail: boolean;
  /** The last entry is complete but its newline never reached the disk. */
  missingFinalNewline: boolean;
}

const NEWLINE = 0x0a;

/**
 * Parses `events.jsonl`. Only the final, unterminated segment may be broken: an append is
 * one write of `json + "\n"`, so a crash can only ever cut the last line short.
 */
export function parseJournal(content: Buffer, file: string): ParsedJournal {
  const entries: JournalEntry[] = [];
  let start = 0;
  let lineNo = 0;
  let lastSeq = 0;
  while (start < content.length) {
    lineNo++;
    const end = content.indexOf(NEWLINE, start);
    const terminated = end !== -1;
    const text = content.subarray(start, terminated ? end : content.length).toString('utf8');
    if (text.trim() !== '') {
      const parsed = parseEntry(text);
      if (typeof parsed === 'string') {
        if (!terminated) return { entries, validLength: start, tornTail: true, missingFinalNewline: false };
        throw new JournalCorruptError(file, lineNo, parsed);
      }
      if (parsed.seq <= lastSeq) {
        throw new JournalCorruptError(file, lineNo, `seq ${parsed.seq} does not follow seq ${lastSeq}`);
      }
      lastSeq = parsed.seq;
      entries.push(parsed);
    }
    if (!terminated) {
      return { entries, validLength: content.length, tornTail: false, missingFinalNewline: text.trim() !== '' };
    }
    start = end + 1;
  }
  return { entries, validLength: content.length, tornTail: false, missingFinalNewline: false };
}

/** The entry, or why the line is not one. */
function parseEntry(text: string): JournalEntry | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `invalid JSON: ${(err as Error).message}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const record = value as Record<string, unknown>;
  if (typeof record.type !== 'string') return 'missing "type"';
  if (typeof record.seq !== 'number' || !Number.isInteger(record.seq) || record.seq < 1)
    return 'missing or invalid "seq"';
  if (typeof record.ts !== 'string') return 'missing "ts"';
  return value as JournalEntry;
}
