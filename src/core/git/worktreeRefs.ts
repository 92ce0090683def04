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
import { sharedCall } from './sharedCall';

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
  return (
    await git.raw(['commit-tree', tree, ...(parent ? ['-p', parent] : []), '--no-gpg-sign', '-m', message])
  ).trim();
}

/**
 * The commit `rev` names, or undefined when it names none. Twenty issues labelled at once each
 * start from HEAD: one rev-parse answers those asking together.
 */
export async function resolveCommit(topLevel: string, rev: string): Promise<string | undefined> {
  const out = await sharedCall(`rev-parse\0${topLevel}\0${rev}`, () =>
    gitAt(topLevel).raw(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]),
  ).catch(() => '');
  return out.trim() || undefined;
}

interface RefUpdate {
  ref: string;
  commit: string;
  reason: string;
  settle(error?: Error): void;
}

/** Per repository, the ref updates waiting while one write is under way: they go together in the next. */
const waiting = new Map<string, RefUpdate[]>();

/**
 * Points `ref` at `commit`; resolves once git has. Updates asked for while another is being
 * written go together in one `update-ref --stdin` (twenty runs starting at once: two git calls,
 * not twenty); should that fail, each is tried alone and gets its own answer.
 */
export function setRef(topLevel: string, ref: string, commit: string, reason: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const update: RefUpdate = { ref, commit, reason, settle: (error) => (error ? reject(error) : resolve()) };
    const queue = waiting.get(topLevel);
    if (queue) {
      queue.push(update);
      return;
    }
    waiting.set(topLevel, [update]);
    void writeWaitingRefs(topLevel);
  });
}

async function writeWaitingRefs(topLevel: string): Promise<void> {
  const queue = waiting.get(topLevel)!;
  for (let batch = queue.splice(0); batch.length > 0; batch = queue.splice(0)) {
    if (batch.length > 1 && (await updateTogether(topLevel, batch))) continue;
    for (const update of batch) {
      await gitAt(topLevel)
        .raw(['update-ref', '-m', update.reason, update.ref, update.commit])
        .then(
          () => update.settle(),
          (error: Error) => update.settle(error),
        );
    }
  }
  waiting.delete(topLevel);
}

/** One transaction for them all: true when it was written (each told), false to try each alone. */
async function updateTogether(topLevel: string, batch: readonly RefUpdate[]): Promise<boolean> {
  const lines = batch.map((u) => `update ${u.ref}\0${u.commit}\0\0`).join('');
  const reason = `orchestrator: ${batch.map((u) => u.reason.replace(/^orchestrator: /, '')).join('; ')}`.slice(0, 1000);
  const written = await gitAt(topLevel)
    .bytes(['update-ref', '-z', '--stdin', '-m', reason], Buffer.from(lines, 'utf8'))
    .then(
      () => true,
      () => false,
    );
  if (written) for (const update of batch) update.settle();
  return written;
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
