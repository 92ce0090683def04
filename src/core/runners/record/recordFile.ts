/**
 * The runners' record of a repository on this machine: `runners/record.jsonl` in the repository's
 * data folder (queue/dataDir.ts: outside the work tree, where `git clean` and a fresh clone never
 * reach). A run's outcomes are appended in one write, then fsync'd: a write is acknowledged once
 * durable, and runs ending at once append whole lines (O_APPEND). An outcome written again (a
 * resumed run's end) supersedes the earlier line when read, so the file is never read to write.
 * A line that does not parse or check is skipped (a torn last line after a crash); reading one
 * layer checks only that layer's lines.
 */
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunnerOutcome } from '../../catalogue';
import { repositoryDataDir } from '../../queue';
import { latestOfEach, outcomeSchema, type RunnerRecord } from './recordStore';

export const RECORD_FILE = 'record.jsonl';

/** `home`: the checkout that holds the run's `.claude/runs/` (a worktree run's main checkout). */
export function fileRecord(home: string): RunnerRecord {
  const file = (): string => join(repositoryDataDir(home, 'runners'), RECORD_FILE);
  return {
    async read(filter = {}) {
      let text: string;
      try {
        text = await readFile(file(), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      // Our lines are JSON.stringify's: a layer's are found by their text, the others never parsed.
      const mark = filter.layer === undefined ? undefined : `"layer":${JSON.stringify(filter.layer)}`;
      return latestOfEach(
        text
          .split('\n')
          .flatMap((line) => (mark === undefined || line.includes(mark) ? parsed(line, filter.layer) : [])),
      );
    },
    async add(outcomes) {
      if (outcomes.length === 0) return;
      const handle = await open(file(), 'a+', 0o600);
      try {
        // After a torn last line (a crash mid-write), a line of its own.
        const { size } = await handle.stat();
        const last =
          size > 0 ? (await handle.read(Buffer.alloc(1), 0, 1, size - 1)).buffer.toString('utf8', 0, 1) : '\n';
        await handle.write((last === '\n' ? '' : '\n') + outcomes.map((o) => `${JSON.stringify(o)}\n`).join(''));
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
  };
}

function parsed(line: string, layer: string | undefined): RunnerOutcome[] {
  if (line.trim() === '') return [];
  try {
    const value: unknown = JSON.parse(line);
    if (layer !== undefined && (value as { layer?: unknown } | null)?.layer !== layer) return [];
    const checked = outcomeSchema.safeParse(value);
    return checked.success ? [checked.data as RunnerOutcome] : [];
  } catch {
    return [];
  }
}
