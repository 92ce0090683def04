/**
 * Change requests waiting for a run: `.claude/runs/{runId}/change-requests.jsonl`, one JSON
 * line each, appended by `orchestrator change` (or the sidebar) from any process while the run
 * goes; the run, which alone writes its journal, picks them up between steps and journals
 * `change.requested`. An entry whose id the journal already names has been picked up.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDir } from '../../journal';

export const INBOX_FILE = 'change-requests.jsonl';
/** A request is a paragraph or a page, not a document. */
export const MAX_REQUEST_CHARS = 20_000;

export interface ChangeRequestEntry {
  id: string;
  request: string;
  ts: string;
}

export function appendChangeRequest(workspace: string, runId: string, request: string, now: Date = new Date()): ChangeRequestEntry {
  const text = request.trim();
  if (text === '') throw new Error('the change request is empty');
  if (text.length > MAX_REQUEST_CHARS) throw new Error(`the change request is too long (${text.length} characters; at most ${MAX_REQUEST_CHARS})`);
  const entry = { id: `chg-${now.toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`, request: text, ts: now.toISOString() };
  const dir = runDir(workspace, runId);
  mkdirSync(dir, { recursive: true });
  // One short line per append: O_APPEND keeps concurrent writers' lines whole.
  appendFileSync(join(dir, INBOX_FILE), `${JSON.stringify(entry)}\n`, 'utf8');
  return entry;
}

/** Every entry in order; a line that does not parse (a torn write) is skipped. */
export function readChangeRequests(workspace: string, runId: string): ChangeRequestEntry[] {
  const file = join(runDir(workspace, runId), INBOX_FILE);
  if (!existsSync(file)) return [];
  const entries: ChangeRequestEntry[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value = JSON.parse(line) as Partial<ChangeRequestEntry>;
      if (typeof value.id === 'string' && typeof value.request === 'string' && typeof value.ts === 'string') entries.push({ id: value.id, request: value.request, ts: value.ts });
    } catch {
      continue;
    }
  }
  return entries;
}
