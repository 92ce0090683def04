/**
 * Where an attempt works (docs/attempts.md): the run's work tree as it is when the layer starts is
 * the one base of all its attempts, kept as a commit on `refs/orchestrator-attempts/<runId>/<layer>/base`;
 * each attempt is a detached worktree of it outside the checkout, with the `worktree.link` folders
 * linked in. What an attempt leaves is committed on `…/<layer>/<k>`, so it outlives the worktree
 * until `gc` prunes the run.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  addWorktree,
  ATTEMPT_NAMESPACE,
  commitWorkTree,
  linkFolders,
  locateRepo,
  removeWorktree,
  repoWorktreeFolder,
  setRef,
  shortStat,
} from '../../git';
import { ConfigurationError } from '../../errors';
import { RUNS_DIR } from '../../journal';
import type { DiffStat } from '../../events';
import { putBackCommitted, type RunContext } from '../kernel';

export const attemptRef = (runId: string, layer: string, k: number | 'base'): string =>
  `${ATTEMPT_NAMESPACE}${runId}/${layer}/${k}`;

export interface AttemptBase {
  topLevel: string;
  commit: string;
  tree: string;
}

export interface AttemptPlace {
  /** The attempt's worktree (its root). */
  worktree: string;
  /** The run's workspace inside it. */
  workspace: string;
  folder: string;
}

/** The secrets and the runs' journals stay out of every attempt's base, as out of a run's worktree. */
const denied = (ctx: RunContext): string[] => [...ctx.config.privacy.deny, RUNS_DIR];

/** The base of `layer`'s attempts: the work tree now (the earlier waves' work included), committed and kept on a ref. */
export async function attemptBase(ctx: RunContext, layer: string): Promise<AttemptBase> {
  const base = await commitWorkTree(
    ctx.workspace,
    `orchestrator: base of ${layer}'s attempts in run ${ctx.runId}`,
    (message) => ctx.warn(message),
    denied(ctx),
  );
  if (!base)
    throw new ConfigurationError(
      `attempts need a git repository: ${ctx.workspace} is not in one (or git is not installed); set attempts: 1.`,
    );
  await setRef(
    base.topLevel,
    attemptRef(ctx.runId, layer, 'base'),
    base.commit,
    `orchestrator: base of ${layer}'s attempts in run ${ctx.runId}`,
  );
  return base;
}

/** Makes attempt `k`'s worktree from the base (an older one of the same name, left by a killed run, goes first). */
export async function makeAttemptPlace(
  ctx: RunContext,
  base: AttemptBase,
  layer: string,
  k: number,
): Promise<AttemptPlace> {
  // The checkout's worktree folder, also for a run in its own worktree: `gc` looks there.
  const folder = repoWorktreeFolder((await locateRepo(ctx.home)).topLevel, ctx.config.worktree.dir);
  const worktree = join(folder, `${ctx.runId}-${layer}-${k}`);
  // One left by a killed run goes first (git keeps its record until pruned).
  if (existsSync(worktree)) await removeWorktree(base.topLevel, worktree, folder);
  await addWorktree(base.topLevel, worktree, base.commit);
  await putBackCommitted(ctx, worktree);
  const workspace = join(worktree, relative(base.topLevel, ctx.workspace));
  linkFolders(ctx.home, workspace, ctx.config.worktree.link);
  return { worktree, workspace, folder };
}

/** What the attempt left, committed on its ref; with its diff stat against the base. */
export async function keepAttempt(
  ctx: RunContext,
  base: AttemptBase,
  place: AttemptPlace,
  layer: string,
  k: number,
): Promise<{ ref: string; tree: string; diff: DiffStat }> {
  const kept = await commitWorkTree(
    place.workspace,
    `orchestrator: ${layer}'s attempt ${k} in run ${ctx.runId}`,
    (message) => ctx.warn(message),
    [...denied(ctx), ...ctx.config.worktree.link],
    base.commit,
  );
  if (!kept) throw new Error(`attempt ${k} of ${layer}: its worktree ${place.worktree} is no longer a git work tree`);
  const ref = attemptRef(ctx.runId, layer, k);
  const [, diff] = await Promise.all([
    setRef(base.topLevel, ref, kept.commit, `orchestrator: ${layer}'s attempt ${k} in run ${ctx.runId}`),
    diffStat(base.topLevel, base.commit, kept.commit),
  ]);
  return { ref, tree: kept.tree, diff };
}

export async function removeAttemptPlace(base: AttemptBase, place: AttemptPlace): Promise<void> {
  await removeWorktree(base.topLevel, place.worktree, place.folder);
}

/** `git diff --shortstat`, as numbers. */
export async function diffStat(topLevel: string, from: string, to: string): Promise<DiffStat> {
  return shortStat(topLevel, from, to);
}
