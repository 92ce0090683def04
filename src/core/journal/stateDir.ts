/**
 * `.claude/runs/` holds everything the product writes at run time: run journals and reports,
 * the run lock, the webhook outbox, the embedded task queue and its decisions log. The folder
 * ignores itself (a `.gitignore` of `*` inside), so `git status` stays clean after any command,
 * also in a workspace whose own .gitignore never mentions it (no `init`).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runsDir } from './runPaths';

const SELF_IGNORE = '# Written by the Orchestrator: run-time state (journals, lock, outbox, task queue), never committed.\n*\n';

/** Creates `.claude/runs/` (and its `.gitignore`) when missing; returns its path. */
export function ensureStateDir(workspace: string): string {
  const dir = runsDir(workspace);
  // Nearly always made already: a lookup, not a create (which locks the folder against the runs
  // writing their files there at that moment, and on a busy disk waits for them).
  if (existsSync(join(dir, '.gitignore'))) return dir;
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(join(dir, '.gitignore'), SELF_IGNORE, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return dir;
}
