/**
 * Where a run works (issue 62): one description for every host. The engine's runs in place and in
 * worktrees, serve's runs from GitHub, the pool's runs and a GitHub Action job's run each work in
 * one of these places, made and cleaned here:
 * - `checkout`: in place, in the user's checkout as it is. Nobody makes or cleans it (never moved).
 * - `worktree`: a git worktree of the checkout, outside it (`isolation: worktree`, docs/worktrees.md;
 *   serve's runs). Made from the run's base (a snapshot of the checkout, or a given commit) when the
 *   run starts; removed by apply, branch, discard, shelve or `gc`.
 * - `pooled`: a worktree of a pool worker's bare clone of the team's remote, from the run's latest
 *   pushed work (docs/pool.md), with the worker's linked folders. Made when the run starts or moves to
 *   this worker, removed when it ends here; the clone is readied when the worker starts.
 * - `action-job`: in place, in a GitHub Actions job's checkout, which is the run's alone; made by
 *   moving that checkout (detached) to the run's base; a run a later job goes on with gets its kept
 *   work back there. Gone with the job's runner.
 */
import { existsSync, mkdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  addWorktree,
  checkoutDetached,
  cloneBare,
  linkFolders,
  removeWorktree,
  restoreFrom,
  revParse,
  setRemoteUrl,
  treeChanges,
  updateRef,
} from '../../git';

export type RunPlaceKind = 'checkout' | 'worktree' | 'pooled' | 'action-job';

export interface RunPlace {
  readonly kind: RunPlaceKind;
  /** The top folder of the work tree the run works in: the checkout's, or the run's worktree. */
  readonly root: string;
  /** Where the run's workspace is: `root`, or the same sub-folder of it as in the checkout. */
  readonly workspace: string;
  /** The commit it starts from; undefined: the checkout as it is (a worktree's base is then a snapshot of it). */
  base?: string;
  /**
   * A worktree's (`worktree`, `pooled`): the repository it is a worktree of (the checkout's top level,
   * a worker's clone) and that repository's folder of run worktrees, where it is made and removed.
   */
  readonly repo?: string;
  readonly folder?: string;
  /** A `pooled` place's folders (`worktree.link`: node_modules) linked from the worker's own checkout. */
  readonly links?: { readonly from: string; readonly folders: readonly string[] };
}

/** The kinds whose place is a git worktree of another repository (made and removed there). */
export const isWorktree = (place: RunPlace): place is RunPlace & { repo: string; folder: string } =>
  place.kind === 'worktree' || place.kind === 'pooled';

/**
 * Makes the place at `commit` (default its base): a worktree added from it, a job's checkout moved to
 * it; the user's checkout is never moved. The caller readies what else the run needs there (linked
 * folders, setup commands, journals).
 */
export async function makeRunPlace(place: RunPlace, commit = place.base): Promise<void> {
  if (place.kind === 'checkout' || commit === undefined) return;
  if (isWorktree(place)) await addWorktree(place.repo, place.root, commit);
  else await checkoutDetached(place.root, commit);
  if (place.links) linkFolders(place.links.from, place.root, place.links.folders);
}

/**
 * A `pooled` place's repository: the worker's bare clone of the team's remote at `clone`, made on
 * first use, else pointed at `remote` again (its URL may have changed). The runs' refs are fetched
 * into it one by one, never all.
 */
export async function readyPooledClone(clone: string, remote: string): Promise<void> {
  if (existsSync(clone)) {
    await setRemoteUrl(clone, 'origin', remote);
    return;
  }
  mkdirSync(dirname(clone), { recursive: true });
  await cloneBare(remote, clone);
}

/** A run's work kept between an Action's jobs: its commit on the run's base, and its checkpoint ref. */
export interface KeptWork {
  work?: string;
  checkpoint?: { ref: string; commit: string };
}

/**
 * An `action-job` place made again for a run that goes on: the checkout moved to the run's base
 * unless it is there already, then the files the run's work changed on its base written in it (those
 * it deleted removed; HEAD and the index stay the base's, as the job that left the run had them:
 * a checkout of 20,000 files is not read again), and its checkpoint ref set.
 */
export async function putRunWork(place: RunPlace & { base: string }, kept: KeptWork): Promise<void> {
  if ((await revParse(place.root, 'HEAD^{commit}')) !== place.base) await makeRunPlace(place);
  if (kept.work) {
    const written: string[] = [];
    for (const { status, path } of await treeChanges(place.root, place.base, kept.work)) {
      if (status === 'D') removeWithFolders(place.root, path);
      else written.push(path);
    }
    await restoreFrom(place.root, kept.work, written);
  }
  if (kept.checkpoint) await updateRef(place.root, kept.checkpoint.ref, kept.checkpoint.commit);
}

/** A file removed, and the folders it leaves empty (as git's checkout removes them: a spec's folder moved away is gone). */
function removeWithFolders(root: string, path: string): void {
  rmSync(join(root, path), { force: true });
  for (let dir = dirname(path); dir !== '.' && dir !== ''; dir = dirname(dir)) {
    try {
      rmdirSync(join(root, dir));
    } catch {
      return; // not empty (or gone): the folders above hold something too
    }
  }
}

/** Cleans the place away once its run is done with it: a worktree removed (and its record in its repository); a checkout stays. */
export async function cleanRunPlace(place: RunPlace): Promise<void> {
  if (isWorktree(place)) await removeWorktree(place.repo, place.root, place.folder);
}
