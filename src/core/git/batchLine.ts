/**
 * Our merge queue's git (issue 74, docs/merge-queue.md): a batch's branches merged one after the
 * other (`--no-ff`, one merge commit each, so each branch's place on the line is a commit to
 * probe) in a worktree of the target; the target moved only forward, to a commit of that line.
 */
import { CHECKPOINT_IDENTITY, gitAt } from './gitRunner';

/**
 * Each branch merged in turn on the worktree's HEAD; a branch that conflicts is left out (the merge
 * aborted), one already in HEAD is named apart (merged before: nothing to merge or prove).
 */
export async function mergeLine(
  worktree: string,
  branches: readonly { name: string; commit: string }[],
): Promise<{ merged: { name: string; commit: string }[]; conflicts: string[]; contained: string[] }> {
  const git = gitAt(worktree, CHECKPOINT_IDENTITY);
  const merged: { name: string; commit: string }[] = [];
  const conflicts: string[] = [];
  const contained: string[] = [];
  for (const branch of branches) {
    const inHead = await git.raw(['merge-base', '--is-ancestor', branch.commit, 'HEAD']).then(
      () => true,
      () => false,
    );
    if (inHead) {
      contained.push(branch.name);
      continue;
    }
    const message = `Merge branch '${branch.name}' (orchestrator queue)`;
    try {
      await git.raw(['merge', '--quiet', '--no-ff', '--no-edit', '--no-verify', '-m', message, branch.commit]);
      merged.push({ name: branch.name, commit: (await git.raw(['rev-parse', 'HEAD'])).trim() });
    } catch {
      await git.raw(['merge', '--abort']).catch(() => undefined);
      conflicts.push(branch.name);
    }
  }
  return { merged, conflicts, contained };
}

/**
 * `refs/heads/<branch>` moved from `from` to `to` (a descendant): with a lease on `from`; where the
 * checkout has the branch checked out, by a fast-forward of its work tree (refused when it has changes).
 */
export async function advanceBranch(topLevel: string, branch: string, from: string, to: string): Promise<void> {
  const git = gitAt(topLevel);
  const current = (await git.raw(['symbolic-ref', '--quiet', 'HEAD']).catch(() => '')).trim();
  if (current === `refs/heads/${branch}`) {
    const changed = (await git.raw(['status', '--porcelain', '--untracked-files=no'])).trim();
    if (changed) throw new Error(`${branch} is checked out with changes: commit or stash them to let the queue merge`);
    await git.raw(['merge', '--quiet', '--ff-only', to]);
    return;
  }
  await git.raw(['update-ref', '-m', 'orchestrator queue', `refs/heads/${branch}`, to, from]);
}
