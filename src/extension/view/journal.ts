/**
 * Parses a run journal (`.claude/runs/{runId}/events.jsonl`) back into engine events so the
 * sidebar can show the last run after a window reload. Pure; the caller reads the file.
 * Torn last lines (a crash mid-write) and lines without a `type` are skipped.
 */
import type { EngineEvent } from '../../core/events';

export function parseJournal(text: string): EngineEvent[] {
  const events: EngineEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string') {
        events.push(value as EngineEvent);
      }
    } catch {
      // A partial line is expected after a crash; the rest of the journal is still good.
    }
  }
  return events;
}
