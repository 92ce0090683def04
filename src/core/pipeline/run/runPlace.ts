/**
 * Where a run works (issue 62): one description for every host. The engine's runs in place and in
 * worktrees, serve's runs from GitHub, the pool's runs and a GitHub Action job's run each work in
 * one of these places, made and cleaned here:
 * - `checkout`: in place, in the user's checkout as it is. Nobody makes or cleans it (never moved).
 * - `worktree`: a git worktree of the checkout, outside it (`isolation: worktree`, docs/worktrees.md;
 *   serve's runs). Made from the run's base (a snapshot of the checkout, or a given commit) when the
 *   run starts; removed by apply, branch, discard, shelve or `gc`.
 * - `pooled`: a worktree of a pool worker's bare clone of the team's remote, from the run's latest
 *   pushed work (docs/pool.md). Made when the run starts or moves to this worker, removed when it ends here.
 * - `action-job`: in place, in a GitHub Actions job's checkout, which is the run's alone; made by
 *   moving that checkout (detached) to the run's base. Gone with the job's runner.
 */
import { addWorktree, checkoutDetached, removeWorktree } from '../../git';

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
}

/** Cleans the place away once its run is done with it: a worktree removed (and its record in its repository); a checkout stays. */
export async function cleanRunPlace(place: RunPlace): Promise<void> {
  if (isWorktree(place)) await removeWorktree(place.repo, place.root, place.folder);
}
