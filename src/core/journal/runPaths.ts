import { join } from 'node:path';

/** Where runs live inside the user's workspace (docs/configuration.md "The project files"). */
export const RUNS_DIR = join('.claude', 'runs');
export const JOURNAL_FILE = 'events.jsonl';
export const LOCK_FILE = '.lock';

// A runId becomes a directory name and a git ref component: keep it to a safe alphabet so
// `resume ../../x` or a ref-breaking name can never reach the file system or git.
const SAFE_RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

export function assertSafeRunId(runId: string): void {
  if (!SAFE_RUN_ID.test(runId)) {
    throw new Error(`Invalid runId "${runId}": use letters, digits, "-" and "_" only`);
  }
}

export function runsDir(workspace: string): string {
  return join(workspace, RUNS_DIR);
}

export function runDir(workspace: string, runId: string): string {
  assertSafeRunId(runId);
  return join(workspace, RUNS_DIR, runId);
}

export function journalPath(workspace: string, runId: string): string {
  return join(runDir(workspace, runId), JOURNAL_FILE);
}

export function lockPath(workspace: string): string {
  return join(workspace, RUNS_DIR, LOCK_FILE);
}
