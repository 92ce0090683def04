/**
 * `.claude/runs/` holds everything the product writes at run time: run journals and reports,
 * the run lock, the webhook outbox, the embedded task queue and its decisions log. The folder
 * ignores itself (a `.gitignore` of `*` inside), so `git status` stays clean after any command,
 * also in a workspace whose own .gitignore never mentions it (no `init`).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runsDir } from './runPaths';

const SELF_IGNORE =
  '# Written by the Orchestrator: run-time state (journals, lock, outbox, task queue), never committed.\n*\n';

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

/**
 * The same, made off the main thread: a new worktree's, before its run lock is taken there (twenty
 * at once in `serve`, issue 63, where each file made synchronously held its main thread).
 */
export async function ensureStateDirSoon(workspace: string): Promise<string> {
  const dir = runsDir(workspace);
  if (existsSync(join(dir, '.gitignore'))) return dir;
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, '.gitignore'), SELF_IGNORE, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return dir;
}
