/**
 * Change requests waiting for a run: `.claude/runs/{runId}/change-requests.jsonl`, one JSON
 * line each, appended by `orchestrator change` (or the sidebar) from any process while the run
 * goes; the run, which alone writes its journal, picks them up between steps and journals
 * `change.requested`. An entry whose id the journal already names has been picked up.
 */
import { randomBytes } from 'node:crypto';
import { appendRunLine, readRunLines } from '../../journal';

export const INBOX_FILE = 'change-requests.jsonl';
/** A request is a paragraph or a page, not a document. */
export const MAX_REQUEST_CHARS = 20_000;

export interface ChangeRequestEntry {
  id: string;
  request: string;
  ts: string;
}

export function appendChangeRequest(
  workspace: string,
  runId: string,
  request: string,
  now: Date = new Date(),
): ChangeRequestEntry {
  const text = request.trim();
  if (text === '') throw new Error('the change request is empty');
  if (text.length > MAX_REQUEST_CHARS)
    throw new Error(`the change request is too long (${text.length} characters; at most ${MAX_REQUEST_CHARS})`);
  const entry = {
    id: `chg-${now.toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`,
    request: text,
    ts: now.toISOString(),
  };
  appendRunLine(workspace, runId, INBOX_FILE, entry);
  return entry;
}

/** Every entry in order; a line that does not parse (a torn write) is skipped. */
export function readChangeRequests(workspace: string, runId: string): ChangeRequestEntry[] {
  return readRunLines(workspace, runId, INBOX_FILE, (value) => {
    const entry = value as Partial<ChangeRequestEntry>;
    return typeof entry.id === 'string' && typeof entry.request === 'string' && typeof entry.ts === 'string'
      ? { id: entry.id, request: entry.request, ts: entry.ts }
      : undefined;
  });
}
