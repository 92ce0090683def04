/**
 * A run's inbox files beside its journal (change requests, attempt swaps): JSON lines appended by
 * any process while the run goes, read by the run, which alone writes its journal.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDir } from './runPaths';

/** One short line per append: O_APPEND keeps concurrent writers' lines whole. */
export function appendRunLine(workspace: string, runId: string, file: string, entry: object): void {
  const dir = runDir(workspace, runId);
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, file), `${JSON.stringify(entry)}\n`, 'utf8');
}

/** Every entry `parse` accepts, in order; a line that does not parse (a torn write) is skipped. */
export function readRunLines<T>(
  workspace: string,
  runId: string,
  file: string,
  parse: (value: unknown) => T | undefined,
): T[] {
  const path = join(runDir(workspace, runId), file);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .flatMap((line) => {
      if (line.trim() === '') return [];
      try {
        const entry = parse(JSON.parse(line));
        return entry === undefined ? [] : [entry];
      } catch {
        return [];
      }
    });
}
