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

/**
 * The checkout on branch `name`, made at HEAD when it is not there yet (a change-set's member: one
 * branch per repository, the same name); what is not committed stays in the work tree.
 */
export async function switchToBranch(dir: string, name: string): Promise<void> {
  const git = gitAt(dir);
  const current = (await git.raw(['branch', '--show-current']).catch(() => '')).trim();
  if (current === name) return;
  const exists = await git.raw(['rev-parse', '--verify', '--quiet', `refs/heads/${name}`]).then(
    () => true,
    () => false,
  );
  await git.raw(exists ? ['switch', '--quiet', name] : ['switch', '--quiet', '-c', name]);
}
