/**
 * Mustard's `change-requests.ndjson`: a log of the raw requests a user made while a spec was
 * worked on. They are untrusted text (pasted prompts, `<task-notification>` blocks from Claude
 * Code's background tasks, terminal escapes), so each is cleaned before it is shown anywhere.
 */
export interface ChangeRequest {
  /** As the line gives it (ISO time, or whatever the writer used), cleaned. */
  at?: string;
  text: string;
}

/** Kept per request, and requests kept (the newest): history for a human, not a transcript. */
const MAX_CHARS = 600;
const MAX_REQUESTS = 30;

const TEXT_KEYS = ['request', 'text', 'message', 'prompt', 'content', 'body', 'summary', 'change'];
const TIME_KEYS = ['at', 'ts', 'timestamp', 'time', 'date', 'created', 'createdAt'];

export function parseChangeRequests(text: string, file: string): { requests: ChangeRequest[]; warnings: string[] } {
  const requests: ChangeRequest[] = [];
  const bad: number[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      bad.push(index + 1);
      return;
    }
    const record = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    const raw = typeof value === 'string' ? value : firstString(record, TEXT_KEYS);
    if (raw === undefined) {
      bad.push(index + 1);
      return;
    }
    const cleaned = cleanRequest(raw);
    if (cleaned === '') return;
    const at = firstString(record, TIME_KEYS) ?? (typeof record?.ts === 'number' ? new Date(record.ts).toISOString() : undefined);
    requests.push({ ...(at ? { at: cleanLine(at).slice(0, 40) } : {}), text: cleaned });
  });
  const warnings = bad.length ? [`${file}: ${bad.length} line(s) could not be read (line ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ', …' : ''}); skipped`] : [];
  return { requests: requests.slice(-MAX_REQUESTS), warnings };
}

/**
 * One request as safe, short text: `<task-notification>` blocks (and other tool markup Claude
 * Code writes into prompts) replaced by a note, escapes and control characters removed,
 * whitespace folded onto one line, and the result cut.
 */
export function cleanRequest(raw: string): string {
  const withoutBlocks = raw
    .replace(/<task-notification>[\s\S]*?(?:<\/task-notification>|$)/gi, ' [task notification removed] ')
    .replace(/<(system-reminder|command-[a-z-]+|local-command-stdout|bash-(?:stdout|stderr|input))>[\s\S]*?(?:<\/\1>|$)/gi, ' ');
  const line = cleanLine(withoutBlocks);
  return line.length > MAX_CHARS ? `${line.slice(0, MAX_CHARS).trimEnd()}…` : line;
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
