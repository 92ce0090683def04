/**
 * A branch's history between two commits, for `verify --all --since` (issue 74): the commits a
 * sweep bisects, oldest first, along the first parent (main's own line: a merged branch's
 * commits are probed as their merge, the commit that brought them to main).
 */
import { gitAt } from './gitRunner';

/** The commit `rev` names; rejects with a sentence naming `rev` when it names none. */
export async function commitOf(dir: string, rev: string): Promise<string> {
  const commit = (
    await gitAt(dir)
      .raw(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`])
      .catch(() => '')
  ).trim();
  if (!commit) throw new Error(`${JSON.stringify(rev)} names no commit of the repository`);
  return commit;
}

/** The commits after `from` up to `to` (included), oldest first, on `to`'s first-parent line. */
export async function firstParentCommits(dir: string, from: string, to: string): Promise<string[]> {
  const out = await gitAt(dir).raw(['rev-list', '--first-parent', '--reverse', `${from}..${to}`, '--']);
  return out.split('\n').filter(Boolean);
}

/** The commits after `from` up to `to` on `to`'s first-parent line, oldest first, each with its subject line. */
export async function firstParentSubjects(
  dir: string,
  from: string,
  to: string,
): Promise<{ commit: string; subject: string }[]> {
  const out = await gitAt(dir).raw(['log', '--first-parent', '--reverse', '--format=%H %s', `${from}..${to}`, '--']);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => ({ commit: line.slice(0, 40), subject: line.slice(41) }));
}

/** The first commit on `rev`'s first-parent line (a shallow checkout's oldest: git takes it for a root). */
export async function firstCommitOf(dir: string, rev: string): Promise<string> {
  const out = await gitAt(dir).raw(['rev-list', '--first-parent', '--max-parents=0', rev, '--']);
  return out.split('\n').filter(Boolean).at(-1)!;
}
