/**
 * Where a worktree run's files are while it waits (its worktree, else the checkout), the specs
 * waiting in worktrees for approval, and the rollback of an applied run in the checkout.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SpecInfo } from '../../api';
import { listSpecs } from '../../project/specs';
import { blobId, isInside, locateRepo, readSide, rollbackRun } from '../../git';
import { listRuns, type RunState } from '../../journal';
import { knownRunState } from './runLookup';

/**
 * Rollback of an applied run: each file the apply changed and that is still as the apply
 * left it goes back to its bytes before the apply (or away, if the apply created it). A
 * file edited since is left as it is and reported.
 */
export async function rollbackApplied(
  workspace: string,
  runId: string,
  state: RunState,
): Promise<{ restored: string[]; removed: string[]; skipped: { path: string; reason: string }[] }> {
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
export async function specsWaitingInWorktrees(
  workspace: string,
  unownedOf?: (text: string) => SpecInfo['unowned'],
): Promise<SpecInfo[]> {
  const root = resolve(workspace);
  const specs: SpecInfo[] = [];
  // No git here: the sidebar lists specs in Restricted Mode too.
  for (const run of listRuns(root).filter(
    (r) => r.status === 'spec-saved' && r.worktree?.outcome === 'pending' && r.specId,
  )) {
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
  return worktree.workspace === worktree.path || isInside(worktree.path, worktree.workspace)
    ? worktree.workspace
    : root;
}
