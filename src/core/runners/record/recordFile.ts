/**
 * The runners' record of a repository on this machine: `runners/record.jsonl` in the repository's
 * data folder (queue/dataDir.ts: outside the work tree, where `git clean` and a fresh clone never
 * reach). A run's outcomes are appended in one write, then fsync'd: a write is acknowledged once
 * durable, and runs ending at once append whole lines (O_APPEND). An outcome written again (a
 * resumed run's end) is appended and supersedes the earlier line when read; one unchanged is not
 * written again. A line that does not parse or check is skipped (a torn last line after a crash).
 */
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunnerOutcome } from '../../catalogue';
import { repositoryDataDir } from '../../queue';
import { latestOfEach, outcomeKey, outcomeSchema, type RunnerRecord } from './recordStore';

export const RECORD_FILE = 'record.jsonl';

/** `home`: the checkout that holds the run's `.claude/runs/` (a worktree run's main checkout). */
export function fileRecord(home: string): RunnerRecord {
  const file = (): string => join(repositoryDataDir(home, 'runners'), RECORD_FILE);
  const text = async (): Promise<string> => {
    try {
      return await readFile(file(), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw error;
    }
  };
  const outcomesIn = (lines: string): RunnerOutcome[] => latestOfEach(lines.split('\n').flatMap((line) => parsed(line)));
  return {
    read: async () => outcomesIn(await text()),
    async add(outcomes) {
      if (outcomes.length === 0) return;
      const before = await text();
      const kept = new Map(outcomesIn(before).map((o) => [outcomeKey(o), JSON.stringify(o)]));
      const lines = outcomes.map((o) => JSON.stringify(o)).filter((line, i) => kept.get(outcomeKey(outcomes[i]!)) !== line);
      if (lines.length === 0) return;
      // After a torn last line (a crash mid-write), a new line of its own.
      const start = before !== '' && !before.endsWith('\n') ? '\n' : '';
      const handle = await open(file(), 'a', 0o600);
      try {
        await handle.write(start + lines.map((line) => `${line}\n`).join(''));
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
  };
}

function parsed(line: string): RunnerOutcome[] {
  if (line.trim() === '') return [];
  try {
    const checked = outcomeSchema.safeParse(JSON.parse(line));
    return checked.success ? [checked.data as RunnerOutcome] : [];
  } catch {
    return [];
  }
}
