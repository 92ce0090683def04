/**
 * Writes to a checkout's files outright, for the places a run works in place (a GitHub Action
 * job's checkout): HEAD detached on a commit, some files brought from another commit. No hook or
 * filter runs (gitRunner's settings).
 */
import { gitAt } from './gitRunner';

/** HEAD detached at `commit`, the work tree and the index made its (forced: local changes go). */
export async function checkoutDetached(dir: string, commit: string): Promise<void> {
  await gitAt(dir).raw(['checkout', '--quiet', '--detach', '--force', commit]);
}

/** These repository-relative files written in the work tree as `source` has them (the index untouched). */
export async function restoreFrom(dir: string, source: string, paths: readonly string[]): Promise<void> {
  const git = gitAt(dir);
  for (let i = 0; i < paths.length; i += 500)
    await git.raw([
      'restore',
      '--source',
      source,
      '--worktree',
      '--',
      ...paths.slice(i, i + 500).map((path) => `:(literal)${path}`),
    ]);
}
