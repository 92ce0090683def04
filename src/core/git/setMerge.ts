/**
 * A change-set member merged by git alone (issue 73, docs/changesets.md "Merged in order"): its
 * branch pushed to its remote, and merged into the remote's default branch without a work tree
 * (`merge-tree --write-tree`, then a merge commit pushed as a fast-forward of that branch: a base
 * that moved meanwhile refuses the push, nothing is forced). The user's checkout is not touched.
 */
import { CHECKPOINT_IDENTITY, gitAt, gitSpawn } from './gitRunner';
import { gitUserName } from './objects';

/** The remote's default branch (what its HEAD names), `main` when it names none. */
export async function remoteDefaultBranch(dir: string, remote: string): Promise<string> {
  const out = await gitAt(dir)
    .raw(['ls-remote', '--symref', remote, 'HEAD'])
    .catch(() => '');
  return /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(out)?.[1] ?? 'main';
}

/** `branch` pushed to `remote` under the same name (a fast-forward, or a new branch). */
export async function pushBranch(dir: string, remote: string, branch: string): Promise<void> {
  await gitAt(dir).raw(['push', '--quiet', remote, `refs/heads/${branch}:refs/heads/${branch}`]);
}

/** The remote's `base` fetched: its tip (kept on a ref of ours, so no remote-tracking ref of the user's moves). */
async function fetchBase(dir: string, remote: string, base: string): Promise<string> {
  const ref = `refs/orchestrator/change-set/${remote}/${base}`;
  await gitAt(dir).raw(['fetch', '--quiet', '--no-tags', remote, `+refs/heads/${base}:${ref}`]);
  return (await gitAt(dir).raw(['rev-parse', ref])).trim();
}

/** Whether `head` is in the remote's `base` already (merged, by us before a kill or by someone). */
export async function mergedInto(dir: string, remote: string, base: string, head: string): Promise<boolean> {
  const tip = await fetchBase(dir, remote, base);
  return gitAt(dir)
    .raw(['merge-base', '--is-ancestor', head, tip])
    .then(
      () => true,
      () => false,
    );
}

/** The merge of `head` into the remote's `base` as a tree, or the files it conflicts in. */
function mergeTree(dir: string, tip: string, head: string): { tree: string } | { conflicts: string[] } {
  const result = gitSpawn(dir, ['merge-tree', '--write-tree', '--name-only', tip, head]);
  const lines = result.stdout.toString('utf8').split('\n\n')[0]!.split('\n').filter(Boolean);
  if (result.status === 0) return { tree: lines[0]! };
  // Exit 1: the tree's id, then the conflicted files, then (after a blank line) git's messages.
  if (result.status === 1) return { conflicts: [...new Set(lines.slice(1))] };
  throw new Error(result.stderr.trim() || `git merge-tree exited with ${result.status}`);
}

/** Why `head` cannot merge into the remote's `base` now (the files it conflicts in), else undefined. */
export async function mergeConflict(
  dir: string,
  remote: string,
  base: string,
  head: string,
): Promise<string | undefined> {
  const merged = mergeTree(dir, await fetchBase(dir, remote, base), head);
  return 'conflicts' in merged
    ? `conflicts with ${base} in ${merged.conflicts.join(', ') || 'its history'}`
    : undefined;
}

/** `head` merged into the remote's `base` (a merge commit pushed as its fast-forward); the commit. */
export async function mergeIntoRemote(
  dir: string,
  remote: string,
  base: string,
  head: string,
  message: string,
): Promise<string> {
  const tip = await fetchBase(dir, remote, base);
  const merged = mergeTree(dir, tip, head);
  if ('conflicts' in merged) throw new Error(`conflicts with ${base} in ${merged.conflicts.join(', ')}`);
  const commit = (
    await gitAt(dir, await identity(dir)).raw(['commit-tree', merged.tree, '-p', tip, '-p', head, '-m', message])
  ).trim();
  await gitAt(dir).raw(['push', '--quiet', remote, `${commit}:refs/heads/${base}`]);
  return commit;
}

/** The folder git keeps the repository's own files in (shared by its worktrees): what `git clean` never touches. */
export async function commonGitDir(dir: string): Promise<string> {
  return (await gitAt(dir).raw(['rev-parse', '--path-format=absolute', '--git-common-dir'])).trim();
}

/**
 * A branch `branch` on the remote holding the revert of `merge` (the remote's `base` back to the
 * tree before it), when nothing came after it there; false (nothing pushed) when something did.
 */
export async function pushRevertBranch(
  dir: string,
  remote: string,
  base: string,
  merge: string,
  branch: string,
  message: string,
): Promise<boolean> {
  const tip = await fetchBase(dir, remote, base);
  if (tip !== merge) return false;
  const commit = (
    await gitAt(dir, await identity(dir)).raw(['commit-tree', `${merge}^1^{tree}`, '-p', merge, '-m', message])
  ).trim();
  await gitAt(dir).raw(['push', '--quiet', '--force', remote, `${commit}:refs/heads/${branch}`]);
  return true;
}

/** The user's name on the commits made here; Orchestrator's where git knows none (a fresh machine). */
async function identity(dir: string): Promise<Record<string, string>> {
  return (await gitUserName(dir)) ? {} : CHECKPOINT_IDENTITY;
}
