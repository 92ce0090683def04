/**
 * What the user does with a finished worktree run (issue 22): Apply (a 3-way merge into the
 * working tree; HEAD, the index and the branch untouched), Create branch, Discard; `gc` for
 * worktrees and refs nobody will use again; and the rollback of an applied run, which puts
 * back exactly what the apply changed.
 */
import { existsSync } from 'node:fs';
import { join, posix, relative, resolve } from 'node:path';
import type { SpecInfo } from '../../api';
import { listSpecs } from '../../project/specs';
import { DenyList, loadConfig, type OrchestratorConfig } from '../../project/config';
import { type ApplyConflict, beforeApplyRef, blobId, commitTree, deleteRef, deleteRunRefs, isInside, listWorktreeRefs, listWorktrees, locateRepo, planApply, pruneWorktrees, readSide, removeWorktree, repoWorktreeFolder, revParse, revParseQuiet, rollbackRun, runIdOfRef, setRef, storeBlob, treeOf, updateRef, validBranchName, worktreeFolders, writePlan, writeWorktreeTree } from '../../git';
import type { AppliedFile, EngineEvent } from '../../events';
import { acquireRunLock, activeRunLock, Journal, listRuns, readEvents, type RunLock, type RunState, type WorktreeState } from '../../journal';
import { completedRef } from '../phases';
import { EngineUsageError } from '../../errors';
import { followUpOf } from '../kernel';
import { knownRunState } from './runLookup';
import { RUNS_FOLDER } from './worktreeRun';
import { cleanRunPlace } from './runPlace';

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
  constructor(readonly runId: string, readonly conflicts: ApplyConflict[]) {
    super(`Apply of run ${runId} stopped: ${conflicts.length} file(s) conflict with your changes (${conflicts.map((c) => c.path).join(', ')}); nothing was written. Resolve them in your checkout (or discard the run), then apply again.`);
    this.name = 'ApplyConflictError';
  }
}

interface OpenRun {
  root: string;
  topLevel: string;
  config: OrchestratorConfig;
  state: RunState;
  worktree: WorktreeState;
  folder: string;
}

/** A worktree run waiting for a decision, with the checks every decision shares. */
async function pendingRun(workspace: string, runId: string, action: string, needsCompleted: boolean): Promise<OpenRun> {
  const root = resolve(workspace);
  const state = knownRunState(root, runId);
  const worktree = state.worktree;
  if (!worktree) throw new EngineUsageError(`Run ${runId} ran in place: its changes are already in your files (undo them with: orchestrator rollback ${runId}).`);
  if (worktree.outcome !== 'pending') throw new EngineUsageError(`Run ${runId} was already ${worktree.outcome}${worktree.branch ? ` (branch ${worktree.branch})` : ''}.`);
  if (state.status === 'running') throw new EngineUsageError(`Run ${runId} is still running; cancel it before you ${action} it.`);
  // A run rolled back in its worktree has nothing left to apply; discarding it is what remains.
  if (needsCompleted && state.status === 'rolled-back') throw new EngineUsageError(`Run ${runId} was rolled back; discard it instead.`);
  if (needsCompleted && state.status !== 'completed') {
    throw new EngineUsageError(`Run ${runId} did not complete (${state.status}); continue it with \`orchestrator resume ${runId}\`, or drop it with \`orchestrator discard ${runId}\`.`);
  }
  const config = await loadConfig(root);
  const { topLevel } = await locateRepo(root);
  return { root, topLevel, config, state, worktree, folder: repoWorktreeFolder(topLevel, config.worktree.dir) };
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
    const before = plan.writes.flatMap((w) => (w.current ? [{ path: w.path, mode: w.current.mode, oid: storeBlob(run.topLevel, w.current.bytes) }] : []));
    const keptRef = beforeApplyRef(runId);
    const kept = await commitTree(run.topLevel, treeOf(run.topLevel, before), `Orchestrator: the files apply of run ${runId} replaced`, run.worktree.commit);
    await setRef(run.topLevel, keptRef, kept, `orchestrator: before applying run ${runId}`);
    const beforeOf = new Map(before.map((entry) => [entry.path, entry.oid]));
    const files: AppliedFile[] = plan.writes.map((w) => ({ path: w.path, before: beforeOf.get(w.path) ?? null, after: w.next ? blobId(run.topLevel, w.next.bytes) : null }));
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
export async function branchWorktreeRun(workspace: string, runId: string, name?: string): Promise<{ branch: string; commit: string }> {
  const run = await pendingRun(workspace, runId, 'branch', true);
  const locks = lockBoth(run, `branch-${runId}`);
  try {
    const title = run.state.request ?? runId;
    const commit = await commitTree(run.topLevel, await runResultTree(run), `${title}\n\nOrchestrator run ${runId}${run.state.specId ? `, spec ${run.state.specId}` : ''}`, run.worktree.commit);
    // A follow-up's result goes on top of the branch it continued: a fast-forward, never a rewrite.
    const continued = name !== undefined && followUpOf(readEvents(run.root, runId)) !== undefined && (await branchExists(run.topLevel, name));
    const branch = continued ? await fastForward(run.topLevel, name, commit, run.worktree.commit) : await createBranch(run.topLevel, name ?? branchName(run.state, runId), commit, name === undefined);
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
  const lock = existsSync(run.worktree.path) && isInside(run.folder, run.worktree.path) ? acquireRunLock(run.worktree.path, `discard-${runId}`) : undefined;
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
export async function shelveWorktreeRun(workspace: string, runId: string, name: string): Promise<{ removed: string; branch?: string; commit?: string }> {
  const run = await pendingRun(workspace, runId, 'put away', false);
  if (run.state.status === 'completed') throw new EngineUsageError(`Run ${runId} completed; apply it, branch it or discard it.`);
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
    const commit = await commitTree(run.topLevel, tree, `Unfinished work of run ${runId} (${run.state.status}), not validated\n\n${run.state.request ?? ''}`.trim(), run.worktree.commit);
    const branch = await createBranch(run.topLevel, name, commit, true);
    journal(run.root, runId, { type: 'worktree.branched', branch, commit });
    await dropWorktree(run, true);
    return { removed: run.worktree.path, branch, commit };
  } finally {
    locks.forEach((lock) => lock.release());
  }
}

/**
 * Rollback of an applied run: each file the apply changed and that is still as the apply
 * left it goes back to its bytes before the apply (or away, if the apply created it). A
 * file edited since is left as it is and reported.
 */
export async function rollbackApplied(workspace: string, runId: string, state: RunState): Promise<{ restored: string[]; removed: string[]; skipped: { path: string; reason: string }[] }> {
  const applied = state.worktree!.applied!;
  const { topLevel } = await locateRepo(resolve(workspace));
  const written: string[] = [];
  const created: string[] = [];
  const skipped: { path: string; reason: string }[] = [];
  for (const file of applied.files) {
    const side = readSide(resolve(topLevel, file.path));
    const now = side === undefined ? null : side === 'directory' ? 'directory' : blobId(topLevel, side.bytes);
    if (now !== file.after) {
      skipped.push({ path: file.path, reason: 'changed since the apply; left as it is' });
      continue;
    }
    (file.before === null ? created : written).push(file.path);
  }
  const result = await rollbackRun(topLevel, applied.ref, { written, created, deleted: [] });
  return { restored: result.restored, removed: result.removed, skipped: [...skipped, ...result.skipped] };
}

/**
 * Specs saved by worktree runs, which wait in their worktrees (not in the checkout); `path`
 * is where the spec file is, in the worktree. `approve <specId>` continues that run there.
 */
export async function specsWaitingInWorktrees(workspace: string, unownedOf?: (text: string) => SpecInfo['unowned']): Promise<SpecInfo[]> {
  const root = resolve(workspace);
  const specs: SpecInfo[] = [];
  // No git here: the sidebar lists specs in Restricted Mode too.
  for (const run of listRuns(root).filter((r) => r.status === 'spec-saved' && r.worktree?.outcome === 'pending' && r.specId)) {
    const place = worktreeFilesOf(root, knownRunState(root, run.runId));
    if (place === root) continue;
    const found = (await listSpecs(place, unownedOf)).find((spec) => spec.id === run.specId);
    if (found) specs.push({ ...found, path: join(place, found.path) });
  }
  return specs;
}

/**
 * Where a worktree run's files are while it waits for Apply: its folder in its worktree (the
 * checkout's own when the run ran in place, was applied, or its worktree is gone).
 */
export function worktreeFilesOf(root: string, state: RunState): string {
  const worktree = state.worktree;
  if (worktree?.outcome !== 'pending' || !existsSync(worktree.workspace)) return root;
  // The journal is workspace content: its folder must lie in the worktree it names.
  return worktree.workspace === worktree.path || isInside(worktree.path, worktree.workspace) ? worktree.workspace : root;
}

export interface WorktreeGcResult {
  removedWorktrees: string[];
  deletedRefs: string[];
  /** Worktree runs that were killed and never resumed: journaled as discarded, their worktrees and refs removed. */
  discardedRuns: string[];
}

/** A worktree run whose process is gone before it finished: interrupted (kill -9, a crash) or cancelled (Ctrl-C). */
const KILLED = new Set(['interrupted', 'cancelled']);

/**
 * `gc`, for worktree runs: removes every worktree in this repository's worktree folder and
 * every worktree ref whose run is no longer pending (applied, branched, discarded, rolled
 * back), was killed and never resumed (discarded now), or has no journal at all (a crash
 * before it, a deleted run folder); then `git worktree prune`. A finished run's worktree stays
 * for its Apply, a stopped one's for its resume, a spec waiting for approval's; the newest
 * `checkpoints.keep` applied runs keep their refs (Show Changes, rollback of the apply), as
 * in-place runs keep their checkpoints.
 */
export async function gcWorktrees(workspace: string): Promise<WorktreeGcResult> {
  const root = resolve(workspace);
  const config = await loadConfig(root);
  const { topLevel } = await locateRepo(root);
  const folder = repoWorktreeFolder(topLevel, config.worktree.dir);
  const pending = new Map<string, string>();
  const applied = new Set<string>();
  const result: WorktreeGcResult = { removedWorktrees: [], deletedRefs: [], discardedRuns: [] };
  // Newest first: the applied runs beyond checkpoints.keep lose their refs.
  for (const run of listRuns(root)) {
    if (run.worktree?.outcome === 'pending' && KILLED.has(run.status)) {
      // Killed (kill -9, Ctrl-C, a closed window) and not resumed: gc is the user saying "clean up".
      journal(root, run.runId, { type: 'worktree.discarded' });
      await forgetCompletion(topLevel, root, run.runId);
      result.discardedRuns.push(run.runId);
      continue;
    }
    if (run.worktree?.outcome === 'pending' && run.status !== 'rolled-back') pending.set(run.runId, resolve(run.worktree.path));
    if (run.worktree?.outcome === 'applied' && run.status !== 'rolled-back' && applied.size < config.checkpoints.keep) applied.add(run.runId);
  }
  const running = activeRunLock(root)?.runId;
  const registered = (await listWorktrees(topLevel)).filter((path) => resolve(path).startsWith(resolve(folder)));
  for (const path of new Set([...worktreeFolders(folder), ...registered].map((p) => resolve(p)))) {
    const runId = posix.basename(path.replace(/\\/g, '/'));
    if (pending.get(runId) === path || activeRunLock(path)) continue;
    // An attempt's worktree (`<runId>-<layer>-<k>`, docs/attempts.md) of a run going now.
    if (running && runId.startsWith(`${running}-`)) continue;
    await removeWorktree(topLevel, path, folder);
    result.removedWorktrees.push(path);
  }
  await pruneWorktrees(topLevel);
  for (const ref of await listWorktreeRefs(topLevel)) {
    const runId = runIdOfRef(ref);
    if (pending.has(runId) || applied.has(runId)) continue;
    await deleteRef(topLevel, ref);
    result.deletedRefs.push(ref);
  }
  return result;
}

/** The worktree's files as git sees them, minus the journals, the secrets and the linked folders. */
async function runResultTree(run: OpenRun): Promise<string> {
  if (!existsSync(run.worktree.path)) throw new EngineUsageError(`The worktree of run ${run.state.runId} (${run.worktree.path}) is gone; discard the run.`);
  const prefix = relative(run.topLevel, run.root).split(/[\\/]/).filter(Boolean).join('/');
  const linked = run.worktree.linked.map((link) => `/${prefix ? `${prefix}/` : ''}${link}`);
  const deny = new DenyList([...run.config.privacy.deny, RUNS_FOLDER, ...linked]);
  return writeWorktreeTree(await locateRepo(run.worktree.path), deny);
}

/** The worktree's lock (no resume meanwhile) and the checkout's (no in-place run or other apply meanwhile). */
function lockBoth(run: OpenRun, holder: string): RunLock[] {
  if (!isInside(run.folder, run.worktree.path)) throw new EngineUsageError(`Run ${run.state.runId} names the worktree ${run.worktree.path}, outside this repository's worktree folder ${run.folder}; apply it by hand or discard it.`);
  const worktree = acquireRunLock(run.worktree.path, holder);
  try {
    return [worktree, acquireRunLock(run.root, holder)];
  } catch (error) {
    worktree.release();
    throw error;
  }
}

/**
 * A discarded run's COMPLETE happened in its worktree only: the spec was never applied, so
 * `verify` must not find `refs/orchestrator-completed/<specId>` pointing at its work. The
 * ref goes only while it still names this run's completion (a later run may have completed
 * the same spec for real).
 */
async function forgetCompletion(topLevel: string, root: string, runId: string): Promise<void> {
  for (const event of readEvents(root, runId)) {
    if (event.type !== 'spec.completed' || !event.commit) continue;
    const ref = completedRef(event.specId);
    const now = await revParseQuiet(topLevel, ref);
    if (now === event.commit) await deleteRef(topLevel, ref, event.commit);
  }
}

async function dropWorktree(run: OpenRun, withRefs: boolean): Promise<void> {
  await cleanRunPlace({ kind: 'worktree', repo: run.topLevel, root: run.worktree.path, workspace: run.worktree.workspace, folder: run.folder });
  if (withRefs) await deleteRunRefs(run.topLevel, run.state.runId!);
}

function journal(root: string, runId: string, event: EngineEvent): void {
  const file = Journal.open(root, runId);
  try {
    file.append(event);
  } finally {
    file.close();
  }
}

/** `orchestrator/<the spec's slug>` (its date dropped), else from the request. */
function branchName(state: RunState, runId: string): string {
  const fromSpec = state.specId?.replace(/^\d{4}-\d{2}-\d{2}-/, '');
  const fromRequest = (state.request ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48);
  return `orchestrator/${fromSpec || fromRequest || runId}`;
}

async function branchExists(topLevel: string, name: string): Promise<boolean> {
  return (await revParseQuiet(topLevel, `refs/heads/${name}`)) !== '';
}

/** Moves `refs/heads/<name>` to `commit` only while it still points at `from` (the commit's parent). */
async function fastForward(topLevel: string, name: string, commit: string, from: string): Promise<string> {
  const moved = await updateRef(topLevel, `refs/heads/${name}`, commit, { reason: 'orchestrator: follow-up run on its branch', old: from }).then(() => true, () => false);
  if (!moved) throw new EngineUsageError(`The branch ${name} moved since the follow-up run started from ${from.slice(0, 12)}; keep the run on another branch (apply --branch <name>).`);
  return name;
}

/** Creates `refs/heads/<name>` only if absent (HEAD untouched); a taken default name gets `-2`, `-3`… */
async function createBranch(topLevel: string, name: string, commit: string, mayRename: boolean): Promise<string> {
  if (!(await validBranchName(topLevel, name))) throw new EngineUsageError(`"${name}" is not a valid branch name.`);
  for (let n = 1; n < 100; n++) {
    const candidate = n === 1 ? name : `${name}-${n}`;
    // The empty old value makes update-ref fail if the branch exists: never moved, never overwritten.
    const made = await updateRef(topLevel, `refs/heads/${candidate}`, commit, { reason: 'orchestrator: branch of a worktree run', old: '' }).then(() => true, () => false);
    if (made) return candidate;
    if (!mayRename) throw new EngineUsageError(`The branch ${name} already exists; choose another name.`);
  }
  throw new EngineUsageError(`No free branch name like ${name}.`);
}
