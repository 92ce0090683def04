/**
 * Writes to a checkout's files outright, for the places a run works in place (a GitHub Action
 * job's checkout): HEAD detached on a commit, some files brought from another commit. No hook or
 * filter runs (gitRunner's settings).
 */
import { CHECKPOINT_IDENTITY, gitAt, inChunks } from './gitRunner';
import { gitUserName } from './objects';

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

/** The repository-relative paths git sees changed in the work tree (added, modified, deleted, untracked; not ignored). */
export async function changedPaths(dir: string): Promise<string[]> {
  const status = await gitAt(dir).raw(['status', '--porcelain', '-z', '--untracked-files=all', '--no-renames']);
  return status
    .split('\0')
    .filter((entry) => /^[ MADRCU?]{2} /.test(entry))
    .map((entry) => entry.slice(3));
}

/**
 * These repository-relative paths committed on the current branch, and only they: what else the
 * index holds stays staged. In the user's git name, else Orchestrator's. The commit, or undefined
 * when there is nothing to commit.
 */
export async function commitPaths(dir: string, paths: readonly string[], message: string): Promise<string | undefined> {
  if (paths.length === 0) return undefined;
  const git = gitAt(dir);
  const specs = paths.map((path) => `:(literal)${path}`);
  for (const chunk of inChunks(specs)) await git.raw(['add', '-A', '--', ...chunk]);
  const named = (await gitUserName(dir)) !== '';
  await gitAt(dir, named ? {} : CHECKPOINT_IDENTITY).raw(['commit', '-q', '--only', '-m', message, '--', ...specs]);
  return (await git.raw(['rev-parse', 'HEAD'])).trim();
}
