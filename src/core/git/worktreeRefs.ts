/**
 * The refs of worktree runs (issue 22), apart from the checkpoint refs that
 * `checkpoints.keep` prunes: `refs/orchestrator-worktree/{runId}/base` keeps the commit a
 * run's worktree started from until the run is applied, branched or discarded, and
 * `…/before-apply` keeps what an apply replaced, for its rollback. Commits and trees are
 * made through a throwaway index: HEAD, the index and the branch are never touched.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKPOINT_IDENTITY, gitAt, gitSpawn } from './gitRunner';

export const WORKTREE_REF_NAMESPACE = 'refs/orchestrator-worktree/';

export function worktreeBaseRef(runId: string): string {
  return `${WORKTREE_REF_NAMESPACE}${runId}/base`;
}

export function beforeApplyRef(runId: string): string {
  return `${WORKTREE_REF_NAMESPACE}${runId}/before-apply`;
}

export interface TreeEntry {
  path: string;
  mode: string;
  oid: string;
}

/** A tree holding exactly `entries` (repository-relative paths), built in a throwaway index. */
export function treeOf(topLevel: string, entries: readonly TreeEntry[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'orchestrator-index-'));
  try {
    const env = { GIT_INDEX_FILE: join(dir, 'index') };
    const lines = entries.map((e) => `${e.mode} ${e.oid}\t${e.path}\0`).join('');
    const added = gitSpawn(topLevel, ['update-index', '-z', '--add', '--index-info'], Buffer.from(lines, 'utf8'), env);
    if (added.status !== 0) throw new Error(`git update-index failed: ${added.stderr.trim()}`);
    const tree = gitSpawn(topLevel, ['write-tree'], undefined, env);
    if (tree.status !== 0) throw new Error(`git write-tree failed: ${tree.stderr.trim()}`);
    return tree.stdout.toString('utf8').trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A commit of `tree` (with `parent`, if any) in the orchestrator's name; returns its id. */
export async function commitTree(topLevel: string, tree: string, message: string, parent?: string): Promise<string> {
  const git = gitAt(topLevel, CHECKPOINT_IDENTITY);
  return (await git.raw(['commit-tree', tree, ...(parent ? ['-p', parent] : []), '--no-gpg-sign', '-m', message])).trim();
}

export async function setRef(topLevel: string, ref: string, commit: string, reason: string): Promise<void> {
  await gitAt(topLevel).raw(['update-ref', '-m', reason, ref, commit]);
}

/** Deletes every ref of a run (missing ones are no error). */
export async function deleteRunRefs(topLevel: string, runId: string): Promise<string[]> {
  const refs = await listWorktreeRefs(topLevel, runId);
  for (const ref of refs) await gitAt(topLevel).raw(['update-ref', '-d', ref]);
  return refs;
}

/** Worktree-run refs: of one run, or all of them. */
export async function listWorktreeRefs(topLevel: string, runId?: string): Promise<string[]> {
  const prefix = runId ? `${WORKTREE_REF_NAMESPACE}${runId}/` : WORKTREE_REF_NAMESPACE;
  const out = await gitAt(topLevel).raw(['for-each-ref', '--format=%(refname)', prefix]);
  return out.split('\n').filter((line) => line.startsWith(prefix));
}

/** The run id a worktree-run ref belongs to. */
export function runIdOfRef(ref: string): string {
  return ref.slice(WORKTREE_REF_NAMESPACE.length).split('/')[0] ?? '';
}
