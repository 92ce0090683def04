import { readdirSync, rmdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { assertCheckpointExists, lookupCheckpointEntries, readBlob, type CheckpointEntry } from './checkpointFiles';
import { checkRollbackPath } from './rollbackPaths';
import { removeCreatedFile, restoreFile } from './restoreFile';

/** What a run did to the work tree, from its journal (the journal's TouchedFiles fits). */
export interface RunTouchedPaths {
  written: readonly string[];
  created: readonly string[];
  deleted: readonly string[];
}

export interface RollbackResult {
  /** Put back to their checkpoint bytes and mode. */
  restored: string[];
  /** Created by the run, now removed. */
  removed: string[];
  /** Directories left empty by those removals and absent from the checkpoint. */
  removedDirs: string[];
  /** Already as at the checkpoint (identical bytes, or a created file already gone). */
  unchanged: string[];
  /** Not touched, with the reason (refused path, not in the checkpoint, I/O error…). */
  skipped: { path: string; reason: string }[];
}

interface Target {
  relative: string;
  absolute: string;
}

/**
 * Undoes a run: restores exactly the files it wrote or deleted to their checkpoint bytes
 * and removes only the files it created. Nothing else in the work tree is touched, and
 * HEAD, the index, the stash and the branch are only ever read.
 */
export async function rollbackRun(workspace: string, ref: string, touched: RunTouchedPaths): Promise<RollbackResult> {
  await assertCheckpointExists(workspace, ref);
  const result: RollbackResult = { restored: [], removed: [], removedDirs: [], unchanged: [], skipped: [] };
  const accept = (paths: readonly string[]): Target[] =>
    paths.flatMap((path) => {
      const check = checkRollbackPath(workspace, path);
      if (check.ok) return [{ relative: check.relative, absolute: check.absolute }];
      result.skipped.push({ path, reason: `refused: ${check.reason}` });
      return [];
    });
  const toRestore = uniqueByPath(accept([...touched.written, ...touched.deleted]));
  const restoring = new Set(toRestore.map((t) => t.relative));
  const created = uniqueByPath(accept(touched.created)).filter((t) => !restoring.has(t.relative));
  const entries = await lookupCheckpointEntries(
    workspace,
    ref,
    [...toRestore, ...created].map((t) => t.relative),
  );

  // A "created" path present in the checkpoint existed before the run: restore, don't delete.
  const toRemove = created.filter((t) => !entries.has(t.relative));
  toRestore.push(...created.filter((t) => entries.has(t.relative)));

  for (const target of toRemove) {
    attempt(result, target, () => {
      if (removeCreatedFile(target.absolute)) result.removed.push(target.relative);
      else result.unchanged.push(target.relative);
    });
  }
  for (const target of toRestore) {
    const entry = entries.get(target.relative);
    const problem = unrestorable(entry);
    if (problem) {
      result.skipped.push({ path: target.relative, reason: problem });
      continue;
    }
    const content = await readBlob(workspace, entry!.oid);
    attempt(result, target, () => {
      (restoreFile(target.absolute, content, entry!.mode) === 'restored' ? result.restored : result.unchanged).push(
        target.relative,
      );
    });
  }
  result.removedDirs = await removeEmptiedDirs(workspace, ref, result.removed);
  for (const list of [result.restored, result.removed, result.removedDirs, result.unchanged]) list.sort();
  return result;
}

function unrestorable(entry: CheckpointEntry | undefined): string | undefined {
  if (!entry) return 'not in the checkpoint (ignored by git?); left as it is';
  if (entry.type === 'tree') return 'a directory in the checkpoint; left as it is';
  if (entry.type === 'commit') return 'a submodule in the checkpoint; left as it is';
  return undefined;
}

/** One file's failure (permissions, a directory in the way) is reported, not fatal to the rest. */
function attempt(result: RollbackResult, target: Target, action: () => void): void {
  try {
    action();
  } catch (err) {
    result.skipped.push({ path: target.relative, reason: (err as Error).message });
  }
}

/**
 * Removes the directories that held only files the run created: empty now and absent from
 * the checkpoint. Deepest first, so a parent emptied by its child's removal goes too.
 * (Git does not record empty directories, so one that existed empty before the run and
 * received a created file is removed as well.)
 */
async function removeEmptiedDirs(workspace: string, ref: string, removedFiles: readonly string[]): Promise<string[]> {
  const candidates = new Set<string>();
  for (const file of removedFiles) {
    for (let dir = posix.dirname(file); dir !== '.' && dir !== ''; dir = posix.dirname(dir)) candidates.add(dir);
  }
  if (candidates.size === 0) return [];
  const inCheckpoint = await lookupCheckpointEntries(workspace, ref, [...candidates]);
  const deepestFirst = [...candidates].sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? -1 : 1));
  const removedDirs: string[] = [];
  for (const dir of deepestFirst) {
    if (inCheckpoint.has(dir)) continue;
    const absolute = join(workspace, ...dir.split('/'));
    try {
      if (readdirSync(absolute).length > 0) continue;
      rmdirSync(absolute);
      removedDirs.push(dir);
    } catch {
      // Gone already or not a directory: nothing to clean up.
    }
  }
  return removedDirs;
}

function uniqueByPath(targets: Target[]): Target[] {
  const seen = new Map<string, Target>();
  for (const target of targets) if (!seen.has(target.relative)) seen.set(target.relative, target);
  return [...seen.values()];
}
