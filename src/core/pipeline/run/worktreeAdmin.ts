/**
 * What the user does with a finished worktree run (issue 22): Apply (a 3-way merge into the
 * working tree; HEAD, the index and the branch untouched), Create branch, Discard, or Shelve an
 * unfinished one. `gc` is worktreeGc.ts; where a waiting run's files are and the rollback of an
 * applied one, worktreeFiles.ts.
 */
import { existsSync } from 'node:fs';
import {
  type ApplyConflict,
  beforeApplyRef,
  blobId,
  commitTree,
  isInside,
  planApply,
  revParse,
  revParseQuiet,
  setRef,
  storeBlob,
  treeOf,
  updateRef,
  validBranchName,
  writePlan,
} from '../../git';
import type { AppliedFile } from '../../events';
import { acquireRunLock, readEvents, type RunState } from '../../journal';
import { EngineUsageError } from '../../errors';
import { followUpOf } from '../kernel';
import { dropWorktree, forgetCompletion, journal, lockBoth, pendingRun, runResultTree } from './openRun';

export interface ApplyReport {
  /** Checkout-relative paths written with the run's version, merged with your edits, or deleted. */
  written: string[];
  merged: string[];
  deleted: string[];
  /** Already as the run left them. */
  unchanged: string[];
}

/** Apply stopped: these files were changed both by you and by the run. Nothing was written. */
export class ApplyConflictError extends Error {
  readonly code = 'E_CONFLICT';
  constructor(
    readonly runId: string,
    readonly conflicts: ApplyConflict[],
  ) {
    super(
      `Apply of run ${runId} stopped: ${conflicts.length} file(s) conflict with your changes (${conflicts.map((c) => c.path).join(', ')}); nothing was written. Resolve them in your checkout (or discard the run), then apply again.`,
    );
    this.name = 'ApplyConflictError';
  }
}

/** `apply <runId>`: the run's result merged into the working tree, or nothing at all (a conflict). */
export async function applyWorktreeRun(workspace: string, runId: string): Promise<ApplyReport> {
  const run = await pendingRun(workspace, runId, 'apply', true);
  const locks = lockBoth(run, `apply-${runId}`);
  try {
    const resultTree = await runResultTree(run);
    const plan = await planApply(run.topLevel, `${run.worktree.commit}^{tree}`, resultTree);
    if (plan.conflicts.length > 0) throw new ApplyConflictError(runId, plan.conflicts);
    // What the apply replaces is kept on a ref first: its rollback needs those bytes.
    const before = plan.writes.flatMap((w) =>
      w.current ? [{ path: w.path, mode: w.current.mode, oid: storeBlob(run.topLevel, w.current.bytes) }] : [],
    );
    const keptRef = beforeApplyRef(runId);
    const kept = await commitTree(
      run.topLevel,
      treeOf(run.topLevel, before),
      `Orchestrator: the files apply of run ${runId} replaced`,
      run.worktree.commit,
    );
    await setRef(run.topLevel, keptRef, kept, `orchestrator: before applying run ${runId}`);
    const beforeOf = new Map(before.map((entry) => [entry.path, entry.oid]));
    const files: AppliedFile[] = plan.writes.map((w) => ({
      path: w.path,
      before: beforeOf.get(w.path) ?? null,
      after: w.next ? blobId(run.topLevel, w.next.bytes) : null,
    }));
    writePlan(run.topLevel, plan.writes);
    const merged = plan.writes.filter((w) => w.merged).map((w) => w.path);
    journal(run.root, runId, { type: 'worktree.applied', ref: keptRef, files, merged });
    // The base ref stays with the before-apply one: Show Changes and rollback of the applied run.
    await dropWorktree(run, false);
    return {
      written: plan.writes.filter((w) => w.next && !w.merged).map((w) => w.path),
      merged,
      deleted: plan.writes.filter((w) => !w.next).map((w) => w.path),
      unchanged: plan.same,
    };
  } finally {
    locks.forEach((lock) => lock.release());
  }
}

/** `apply <runId> --branch [name]`: the result as a commit on a new branch (the checkout untouched). */
export async function branchWorktreeRun(
  workspace: string,
  runId: string,
  name?: string,
): Promise<{ branch: string; commit: string }> {
  const run = await pendingRun(workspace, runId, 'branch', true);
  const locks = lockBoth(run, `branch-${runId}`);
  try {
    const title = run.state.request ?? runId;
    const commit = await commitTree(
      run.topLevel,
      await runResultTree(run),
      `${title}\n\nOrchestrator run ${runId}${run.state.specId ? `, spec ${run.state.specId}` : ''}`,
      run.worktree.commit,
    );
    // A follow-up's result goes on top of the branch it continued: a fast-forward, never a rewrite.
    const continued =
      name !== undefined &&
      followUpOf(readEvents(run.root, runId)) !== undefined &&
      (await branchExists(run.topLevel, name));
    const branch = continued
      ? await fastForward(run.topLevel, name, commit, run.worktree.commit)
      : await createBranch(run.topLevel, name ?? branchName(run.state, runId), commit, name === undefined);
    journal(run.root, runId, { type: 'worktree.branched', branch, commit });
    await dropWorktree(run, true);
    return { branch, commit };
  } finally {
    locks.forEach((lock) => lock.release());
  }
}

/** `discard <runId>`: the worktree and the run's refs go; the checkout was never touched. */
export async function discardWorktreeRun(workspace: string, runId: string): Promise<{ removed: string }> {
  const run = await pendingRun(workspace, runId, 'discard', false);
  // A worktree already gone (a crash, a hand-made cleanup) is discarded all the same.
  const lock =
    existsSync(run.worktree.path) && isInside(run.folder, run.worktree.path)
      ? acquireRunLock(run.worktree.path, `discard-${runId}`)
      : undefined;
  try {
    journal(run.root, runId, { type: 'worktree.discarded' });
    await dropWorktree(run, true);
    await forgetCompletion(run.topLevel, run.root, runId);
    return { removed: run.worktree.path };
  } finally {
    lock?.release();
  }
}

/**
 * A worktree run that ended without completing (stopped, failed, cancelled) and that nobody will
 * resume (a follow-up of a pull request, whose next run starts afresh), put away: its worktree
 * removed and its refs with it. What its agents wrote, if anything, is kept as one commit on its
 * base on a new branch (`name`, made unique), never validated: a person may still want to read it.
 * Without any change it is discarded. A worktree already gone is discarded all the same.
 */
export async function shelveWorktreeRun(
  workspace: string,
  runId: string,
  name: string,
): Promise<{ removed: string; branch?: string; commit?: string }> {
  const run = await pendingRun(workspace, runId, 'put away', false);
  if (run.state.status === 'completed')
    throw new EngineUsageError(`Run ${runId} completed; apply it, branch it or discard it.`);
  if (!existsSync(run.worktree.path)) return discardWorktreeRun(workspace, runId);
  const locks = lockBoth(run, `shelve-${runId}`);
  try {
    const tree = await runResultTree(run);
    const baseTree = await revParse(run.topLevel, `${run.worktree.commit}^{tree}`);
    if (tree === baseTree) {
      journal(run.root, runId, { type: 'worktree.discarded' });
      await dropWorktree(run, true);
      return { removed: run.worktree.path };
    }
    const commit = await commitTree(
      run.topLevel,
      tree,
      `Unfinished work of run ${runId} (${run.state.status}), not validated\n\n${run.state.request ?? ''}`.trim(),
      run.worktree.commit,
    );
    const branch = await createBranch(run.topLevel, name, commit, true);
    journal(run.root, runId, { type: 'worktree.branched', branch, commit });
    await dropWorktree(run, true);
    return { removed: run.worktree.path, branch, commit };
  } finally {
    locks.forEach((lock) => lock.release());
  }
}

/** `orchestrator/<the spec's slug>` (its date dropped), else from the request. */
function branchName(state: RunState, runId: string): string {
  const fromSpec = state.specId?.replace(/^\d{4}-\d{2}-\d{2}-/, '');
  const fromRequest = (state.request ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return `orchestrator/${fromSpec || fromRequest || runId}`;
}

async function branchExists(topLevel: string, name: string): Promise<boolean> {
  return (await revParseQuiet(topLevel, `refs/heads/${name}`)) !== '';
}

/** Moves `refs/heads/<name>` to `commit` only while it still points at `from` (the commit's parent). */
async function fastForward(topLevel: string, name: string, commit: string, from: string): Promise<string> {
  const moved = await updateRef(topLevel, `refs/heads/${name}`, commit, {
    reason: 'orchestrator: follow-up run on its branch',
    old: from,
  }).then(
    () => true,
    () => false,
  );
  if (!moved)
    throw new EngineUsageError(
      `The branch ${name} moved since the follow-up run started from ${from.slice(0, 12)}; keep the run on another branch (apply --branch <name>).`,
    );
  return name;
}

/** Creates `refs/heads/<name>` only if absent (HEAD untouched); a taken default name gets `-2`, `-3`… */
async function createBranch(topLevel: string, name: string, commit: string, mayRename: boolean): Promise<string> {
  if (!(await validBranchName(topLevel, name))) throw new EngineUsageError(`"${name}" is not a valid branch name.`);
  for (let n = 1; n < 100; n++) {
    const candidate = n === 1 ? name : `${name}-${n}`;
    // The empty old value makes update-ref fail if the branch exists: never moved, never overwritten.
    const made = await updateRef(topLevel, `refs/heads/${candidate}`, commit, {
      reason: 'orchestrator: branch of a worktree run',
      old: '',
    }).then(
      () => true,
      () => false,
    );
    if (made) return candidate;
    if (!mayRename) throw new EngineUsageError(`The branch ${name} already exists; choose another name.`);
  }
  throw new EngineUsageError(`No free branch name like ${name}.`);
}
