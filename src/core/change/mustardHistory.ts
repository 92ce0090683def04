/**
 * Mustard's `change-requests.ndjson` (a spec folder's log of raw change requests; Mustard keeps
 * spec.md frozen and writes what changed to change-log.md) read as the spec's change history.
 * Its line shape varies between versions, so each line is taken as it comes: a JSON object
 * whose text is under `request`, `text`, `message`, `content`, `body` or `prompt` (or a bare
 * JSON string), its time under `ts`, `timestamp`, `at`, `created`, `createdAt` or `date`.
 * `<task-notification>` blocks (tool chatter captured with the request) are dropped. A line
 * that is not JSON, or has no text, is a warning naming the file and line, never a stop.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const MUSTARD_CHANGE_FILE = 'change-requests.ndjson';

export interface HistoryEntry {
  /** UTC ISO time when the log gives one. */
  at?: string;
  request: string;
  source: 'mustard';
  id?: string;
}

const TEXT_KEYS = ['request', 'text', 'message', 'content', 'body', 'prompt'];
const TIME_KEYS = ['ts', 'timestamp', 'at', 'created', 'createdAt', 'date'];
const MAX_LINES = 10_000;

/** `folder`: the spec folder (absolute); `label`: how warnings name the file. */
export async function readMustardChangeRequests(folder: string, label = MUSTARD_CHANGE_FILE): Promise<{ entries: HistoryEntry[]; warnings: string[] }> {
  const text = await readFile(join(folder, MUSTARD_CHANGE_FILE), 'utf8').catch(() => undefined);
  const entries: HistoryEntry[] = [];
  const warnings: string[] = [];
  if (text === undefined) return { entries, warnings };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).slice(0, MAX_LINES);
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      warnings.push(`${label}:${index + 1}: not a JSON line (${(error as Error).message}); skipped`);
      return;
    }
    const entry = entryOf(value);
    if (entry) entries.push(entry);
    else warnings.push(`${label}:${index + 1}: no request text (looked for ${TEXT_KEYS.join(', ')}); skipped`);
  });
  return { entries, warnings };
}

function entryOf(value: unknown): HistoryEntry | undefined {
  if (typeof value === 'string') return requestOf(value);
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const raw = TEXT_KEYS.map((key) => record[key]).find((v): v is string => typeof v === 'string' && v.trim() !== '');
  const entry = raw === undefined ? undefined : requestOf(raw);
  if (!entry) return undefined;
  const time = TIME_KEYS.map((key) => record[key]).find((v) => typeof v === 'string' || typeof v === 'number');
  const at = time === undefined ? undefined : new Date(typeof time === 'number' && time < 1e12 ? time * 1000 : time);
  if (at && !Number.isNaN(at.getTime())) entry.at = at.toISOString();
  if (typeof record.id === 'string' || typeof record.id === 'number') entry.id = String(record.id);
  return entry;
}

function requestOf(raw: string): HistoryEntry | undefined {
  const request = raw.replace(/<task-notification>[\s\S]*?<\/task-notification>/g, '').replace(/\s+/g, ' ').trim();
  return request === '' ? undefined : { request, source: 'mustard' };
}

/** History lines in the spec's `## History` form. */
export function mustardHistoryLines(entries: readonly HistoryEntry[]): string[] {
  return entries.map((e) => `- Mustard change request${e.at ? ` (${e.at})` : ''}: "${e.request.length > 200 ? `${e.request.slice(0, 200)}…` : e.request}"`);
}
