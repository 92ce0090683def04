import { formatKeyPath, formatProjectFileMessage } from './errors';
import type { ParsedSource } from './parsedSource';

/** Detailed warnings per file; past that, one line counts the rest (a file can have thousands). */
const DETAILED = 5;

/**
 * What a project file says that we could not use: each becomes a `log` warn event at the
 * start of the run (journal, CLI, sidebar). Messages name `file:line:col key`, like errors.
 */
export class FileWarnings {
  private readonly messages: string[] = [];
  private more = 0;

  constructor(private readonly source: Pick<ParsedSource, 'file' | 'locate'>) {}

  add(path: readonly PropertyKey[], detail: string): void {
    if (this.messages.length >= DETAILED) {
      this.more++;
      return;
    }
    const at = this.source.locate(path);
    this.messages.push(
      formatProjectFileMessage(
        { file: this.source.file, line: at.line, column: at.column, key: formatKeyPath(path) },
        detail,
      ),
    );
  }

  /** A warning about one line (JSONL). */
  addLine(line: number, detail: string): void {
    if (this.messages.length >= DETAILED) {
      this.more++;
      return;
    }
    this.messages.push(formatProjectFileMessage({ file: this.source.file, line }, detail));
  }

  /** A warning about the file as a whole (no position). */
  addGeneral(detail: string): void {
    this.messages.push(`${this.source.file}: ${detail}`);
  }

  list(): string[] {
    return this.more > 0
      ? [...this.messages, `${this.source.file}: ${this.more} more problems like these (not listed)`]
      : [...this.messages];
  }
}

/** A value's kind for messages: `a list`, `a number (3)`, `"text"`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return `${typeof value === 'number' ? 'a number' : `a ${typeof value}`} (${String(value)})`;
}
