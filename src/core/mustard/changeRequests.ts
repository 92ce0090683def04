/**
 * Mustard's `change-requests.ndjson`: a log of the raw requests a user made while a spec was
 * worked on. They are untrusted text (pasted prompts, `<task-notification>` blocks from Claude
 * Code's background tasks, terminal escapes): each is kept whole as plain text — escapes and
 * control characters removed, folded onto one line, cut — and whoever shows it escapes it
 * (markdownText), so no request is lost to markup or read as markup.
 */
export interface ChangeRequest {
  /** As the line gives it (ISO time, or whatever the writer used), cleaned. */
  at?: string;
  text: string;
}

/** Kept per request; a log longer than MAX_REQUESTS keeps its newest and says how many older ones are left out. */
const MAX_CHARS = 600;
const MAX_REQUESTS = 500;

const TEXT_KEYS = ['request', 'text', 'message', 'prompt', 'content', 'body', 'summary', 'change'];
const TIME_KEYS = ['at', 'ts', 'timestamp', 'time', 'date', 'created', 'createdAt'];

/** Every non-blank line is a request: a JSON line by its text key, any other line as written (with a warning). */
export function parseChangeRequests(text: string, file: string): { requests: ChangeRequest[]; warnings: string[] } {
  const requests: ChangeRequest[] = [];
  const raw: number[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    const record =
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
    const said = typeof value === 'string' ? value : firstString(record, TEXT_KEYS);
    if (said === undefined) raw.push(index + 1);
    const at =
      firstString(record, TIME_KEYS) ??
      (typeof record?.ts === 'number' ? new Date(record.ts).toISOString() : undefined);
    requests.push({ ...(at ? { at: cleanLine(at).slice(0, 40) } : {}), text: cleanRequest(said ?? line) });
  });
  const warnings = raw.length
    ? [
        `${file}: ${raw.length} line(s) are not a JSON request (line ${raw.slice(0, 5).join(', ')}${raw.length > 5 ? ', …' : ''}); kept as written`,
      ]
    : [];
  if (requests.length > MAX_REQUESTS)
    warnings.push(
      `${file}: ${requests.length} requests; the oldest ${requests.length - MAX_REQUESTS} are left out of the history`,
    );
  return { requests: requests.slice(-MAX_REQUESTS), warnings };
}

/** One request as safe, short plain text: escapes and control characters removed, whitespace folded onto one line, cut. Markup is kept as text. */
export function cleanRequest(raw: string): string {
  const line = cleanLine(raw);
  return line.length > MAX_CHARS ? `${line.slice(0, MAX_CHARS).trimEnd()}…` : line;
}

/**
 * Plain text as Markdown that renders it as written: every character Markdown or HTML would read
 * as markup (`<task-id>`, `**`, `` ` ``, `[x](y)`, `&amp;`, `|`) is backslash-escaped.
 */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_{}[\]<>&|~#!]/g, (c) => `\\${c}`);
}

/** No terminal escapes, no control or bidi characters, one line. */
export function cleanLine(text: string): string {
  /* eslint-disable no-control-regex -- escapes and control characters are what it removes */
  return text
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g, '')
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  /* eslint-enable no-control-regex */
}

function firstString(record: Record<string, unknown> | undefined, keys: string[]): string | undefined {
  if (!record) return undefined;
  for (const key of keys) {
    const value = record[key];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
}
