/**
 * The journal of a change-set's merge (issue 73): which members merged, written before and after
 * each merge, so a process killed between two merges resumes on the next `merge <set>`. It lives in
 * the first member's git folder (`.git/orchestrator/change-sets/`), which `git clean` never touches,
 * written whole to a temporary file, flushed and renamed over the last (a kill leaves one or the other).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { commonGitDir } from '../git';

export interface MergeJournal {
  set: string;
  /** Each member's head when the merge began: a head moved since is a new set, not this one resumed. */
  heads: Record<string, string>;
  /** Members merged so far, each with its merge commit. */
  merged: Record<string, string>;
  state: 'merging' | 'merged' | 'stuck';
  /** `stuck`: why it could not finish, and the revert proposed. */
  stuck?: { member: string; reason: string; revert: string[] };
}

export async function journalPath(repo: string, set: string): Promise<string> {
  return join(await commonGitDir(repo), 'orchestrator', 'change-sets', `${encodeURIComponent(set)}.json`);
}

export function readJournal(path: string): MergeJournal | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as MergeJournal;
  } catch {
    return undefined;
  }
}

export function writeJournal(path: string, journal: MergeJournal): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, `${JSON.stringify(journal, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}
