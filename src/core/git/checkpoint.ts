import { CHECKPOINT_IDENTITY, gitAt } from './gitRunner';
import { DenyList } from '../project/config';
import { knownRepo, locateRepo, writeWorktreeTree } from './worktreeTree';

export interface Checkpoint {
  /** `refs/orchestrator/{runId}` */
  ref: string;
  commit: string;
  tree: string;
}

export function checkpointRef(runId: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(runId)) throw new Error(`Invalid runId for a checkpoint ref: "${runId}"`);
  return `refs/orchestrator/${runId}`;
}

/** True when `workspace` is inside a git work tree and git can be run. */
export async function hasGit(workspace: string): Promise<boolean> {
  if (knownRepo(workspace)) return true;
  try {
    return (await gitAt(workspace).raw(['rev-parse', '--is-inside-work-tree'])).trim() === 'true';
  } catch {
    return false;
  }
}

/**
 * Snapshots the whole work tree (tracked changes and untracked, non-ignored files) as a
 * commit on `refs/orchestrator/{runId}`, leaving HEAD, the index, the stash, the branch and
 * the work tree exactly as they were. Outside a git repository it returns undefined and
 * warns: the run goes on without checkpoints (and so without diffs or rollback).
 */
export async function createCheckpoint(
  workspace: string,
  runId: string,
  onWarning: (message: string) => void = () => {},
  /** The config's privacy.deny, added to the built-in deny list: none of it is captured. */
  deny: readonly string[] = [],
  /** Where to keep it: a worktree run keeps its start apart from the pruned checkpoints. */
  ref: string = checkpointRef(runId),
): Promise<Checkpoint | undefined> {
  const snapshot = await commitWorkTree(workspace, `Orchestrator checkpoint before run ${runId}`, onWarning, deny);
  if (!snapshot) return undefined;
  await gitAt(snapshot.topLevel).raw([
    'update-ref',
    '-m',
    `orchestrator: checkpoint for run ${runId}`,
    ref,
    snapshot.commit,
  ]);
  return { ref, commit: snapshot.commit, tree: snapshot.tree };
}

/**
 * The work tree as it is (tracked changes, untracked non-ignored files, the deny list left out) as
 * a commit whose parent is HEAD, under no ref: for a caller that sends the commit elsewhere (the
 * pool pushes it to the remote) and needs no local name for it. Undefined outside a repository.
 */
export async function commitWorkTree(
  workspace: string,
  message: string,
  onWarning: (message: string) => void = () => {},
  deny: readonly string[] = [],
  /** The commit's parent when the caller knows HEAD (a worktree it made and never moves): one git call less. */
  parent?: string,
): Promise<{ commit: string; tree: string; topLevel: string } | undefined> {
  if (!(await hasGit(workspace))) {
    onWarning(
      `${workspace} is not a git repository (or git is not installed): no checkpoint, so no diff or rollback for this run`,
    );
    return undefined;
  }
  const repo = await locateRepo(workspace);
  const tree = await writeWorktreeTree(repo, new DenyList(deny));
  const head = parent ?? (await headCommit(repo.topLevel));
  const commit = (
    await gitAt(repo.topLevel, CHECKPOINT_IDENTITY).raw([
      'commit-tree',
      tree,
      ...(head ? ['-p', head] : []),
      '--no-gpg-sign',
      '-m',
      message,
    ])
  ).trim();
  return { commit, tree, topLevel: repo.topLevel };
}

/** HEAD's commit id, or undefined in a repository without commits yet. */
async function headCommit(topLevel: string): Promise<string | undefined> {
  try {
    const out = (await gitAt(topLevel).raw(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])).trim();
    return /^[0-9a-f]{40,64}$/.test(out) ? out : undefined;
  } catch {
    return undefined;
  }
}
