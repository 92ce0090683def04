/**
 * The webhook's outbox: every vocabulary event is appended here (synchronously, like the
 * journal) before anything tries to send it, and a cursor counts the lines delivered. An event
 * the endpoint did not take stays in the file and is sent again by the next run, in order:
 * events are never lost (at-least-once; receivers de-duplicate by the CloudEvent `id`).
 * Lives in `.claude/runs/` (one per workspace; a run holds the workspace lock while it sends).
 */
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { ensureStateDir, runsDir } from '../journal';
import type { CloudEvent } from './vocabulary';

export class Outbox {
  readonly file: string;
  private readonly cursorFile: string;

  constructor(private readonly workspace: string) {
    const dir = runsDir(workspace);
    this.file = join(dir, 'outbox.jsonl');
    this.cursorFile = join(dir, 'outbox.cursor');
  }

  append(event: CloudEvent): void {
    ensureStateDir(this.workspace);
    appendFileSync(this.file, `${JSON.stringify(event)}\n`);
  }

  /** Events not yet delivered, oldest first (a torn last line from a crash is skipped). */
  pending(): CloudEvent[] {
    if (!existsSync(this.file)) return [];
    const lines = readFileSync(this.file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    const events: CloudEvent[] = [];
    for (const line of lines.slice(this.delivered())) {
      try {
        events.push(JSON.parse(line) as CloudEvent);
      } catch {
        // Only the last line can be torn (appends are whole lines); nothing after it to keep.
      }
    }
    return events;
  }

  /** One more event delivered: the cursor moves on; an empty queue starts the files afresh. */
  markDelivered(): void {
    const delivered = this.delivered() + 1;
    if (delivered >= this.lineCount()) {
      rmSync(this.file, { force: true });
      rmSync(this.cursorFile, { force: true });
      return;
    }
    const temp = `${this.cursorFile}.${process.pid}.tmp`;
    writeFileSync(temp, `${delivered}\n`);
    renameSync(temp, this.cursorFile);
  }

  private delivered(): number {
    if (!existsSync(this.cursorFile)) return 0;
    const n = Number.parseInt(readFileSync(this.cursorFile, 'utf8'), 10);
    return Number.isFinite(n) && n >= 0 ? n : 0;
  }

  private lineCount(): number {
    if (!existsSync(this.file)) return 0;
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '').length;
  }
}
