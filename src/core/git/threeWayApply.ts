/**
 * Apply (issue 22): a worktree run's result brought into the checkout's working tree as a
 * 3-way merge per file — base: the checkout when the run started; theirs: the run's result;
 * ours: the checkout as it is now. Only files are written: HEAD, the index, the branch and
 * the stash are never touched. Everything is planned first; one conflict and nothing is
 * written. A file the user edited meanwhile is merged with git's own `merge-file`, never
 * overwritten.
 */
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBlob } from './checkpointFiles';
import { gitAt, gitSpawn } from './gitRunner';
import { checkRollbackPath } from './rollbackPaths';
import { removeCreatedFile, restoreFile } from './restoreFile';

/** One side of a path: its git mode and bytes, or absent. */
export interface Side {
  mode: string;
  bytes: Buffer;
}

export interface ApplyConflict {
  path: string;
  /** What the two sides did, in words (e.g. "you changed it; the run deleted it"). */
  reason: string;
  /** The checkout's content now and the run's (text, when both are text). */
  ours?: string;
  theirs?: string;
  /** `merge-file`'s result with conflict markers, when both sides are text. */
  merged?: string;
}

export interface PlannedWrite {
  path: string;
  /** Absent: delete the file. */
  next?: Side;
  /** What the checkout has now (absent: no file). */
  current?: Side;
  /** Merged with edits the user made since the run started. */
  merged: boolean;
}

export interface ApplyPlan {
  writes: PlannedWrite[];
  /** Already as the run left them. */
  same: string[];
  conflicts: ApplyConflict[];
}

interface TreeChange {
  path: string;
  base?: { mode: string; oid: string };
  result?: { mode: string; oid: string };
}

const FILE_MODES = new Set(['100644', '100755', '120000']);

/** Plans the merge of `baseTree` → `resultTree` into the working tree at `topLevel`. Writes nothing. */
export async function planApply(topLevel: string, baseTree: string, resultTree: string): Promise<ApplyPlan> {
  const plan: ApplyPlan = { writes: [], same: [], conflicts: [] };
  for (const change of await treeChanges(topLevel, baseTree, resultTree)) {
    const checked = checkRollbackPath(topLevel, change.path);
    if (!checked.ok) {
      plan.conflicts.push({ path: change.path, reason: `cannot be written in the checkout: ${checked.reason}` });
      continue;
    }
    if ([change.base, change.result].some((side) => side && !FILE_MODES.has(side.mode))) {
      plan.conflicts.push({ path: change.path, reason: 'a submodule or a directory changed kind; apply it by hand' });
      continue;
    }
    const base = change.base ? { mode: change.base.mode, bytes: await readBlob(topLevel, change.base.oid) } : undefined;
    const result = change.result
      ? { mode: change.result.mode, bytes: await readBlob(topLevel, change.result.oid) }
      : undefined;
    const current = readSide(checked.absolute);
    if (current === 'directory') {
      plan.conflicts.push({ path: change.path, reason: 'a directory is in the way in your checkout' });
      continue;
    }
    if (sameSide(current, result)) plan.same.push(change.path);
    else if (sameSide(current, base))
      plan.writes.push({
        path: change.path,
        ...(result ? { next: result } : {}),
        ...(current ? { current } : {}),
        merged: false,
      });
    else planMerge(topLevel, plan, change.path, base, current, result);
  }
  return plan;
}

/** Both sides changed the file: a clean text merge is written, anything else is a conflict. */
function planMerge(
  topLevel: string,
  plan: ApplyPlan,
  path: string,
  base: Side | undefined,
  current: Side | undefined,
  result: Side | undefined,
): void {
  const text = (side: Side | undefined) =>
    side && side.mode !== '120000' && !isBinary(side.bytes) ? side.bytes.toString('utf8') : undefined;
  const sides = {
    ...(text(current) !== undefined ? { ours: text(current) } : {}),
    ...(text(result) !== undefined ? { theirs: text(result) } : {}),
  };
  if (!current) return void plan.conflicts.push({ path, reason: 'you deleted it; the run changed it', ...sides });
  if (!result) return void plan.conflicts.push({ path, reason: 'you changed it; the run deleted it', ...sides });
  if (!base)
    return void plan.conflicts.push({ path, reason: 'you and the run both created it, differently', ...sides });
  if (sides.ours === undefined || sides.theirs === undefined || text(base) === undefined) {
    return void plan.conflicts.push({
      path,
      reason: 'you and the run both changed it, and it is not text (or a symlink)',
      ...sides,
    });
  }
  const merge = mergeFile(topLevel, current.bytes, base.bytes, result.bytes);
  if (!merge.clean)
    return void plan.conflicts.push({
      path,
      reason: 'you and the run both changed the same lines',
      ...sides,
      merged: merge.text,
    });
  // The executable bit: the run's change unless the user changed it too.
  const mode = current.mode === base.mode ? result.mode : current.mode;
  plan.writes.push({ path, next: { mode, bytes: Buffer.from(merge.text, 'utf8') }, current, merged: true });
}

/**
 * Writes the plan. If one write fails, those done are put back, so the checkout is never
 * left half-applied.
 */
export function writePlan(topLevel: string, writes: readonly PlannedWrite[]): void {
  const done: PlannedWrite[] = [];
  try {
    for (const write of writes) {
      const absolute = join(topLevel, ...write.path.split('/'));
      if (write.next) restoreFile(absolute, write.next.bytes, write.next.mode);
      else removeCreatedFile(absolute);
      done.push(write);
    }
  } catch (error) {
    for (const write of done.reverse()) {
      const absolute = join(topLevel, ...write.path.split('/'));
      try {
        if (write.current) restoreFile(absolute, write.current.bytes, write.current.mode);
        else removeCreatedFile(absolute);
      } catch {
        // Reported with the original error below.
      }
    }
    throw new Error(`apply failed at ${writes[done.length]?.path ?? '?'} and was undone: ${(error as Error).message}`);
  }
}

/** Stores bytes as a blob in the repository (so a ref can keep them) and returns its id. */
export function storeBlob(topLevel: string, bytes: Buffer): string {
  const out = gitSpawn(topLevel, ['hash-object', '-w', '--no-filters', '--stdin'], bytes);
  if (out.status !== 0) throw new Error(`git hash-object failed: ${out.stderr.trim()}`);
  return out.stdout.toString('utf8').trim();
}

/** The blob id the bytes would have, without storing them. */
export function blobId(topLevel: string, bytes: Buffer): string {
  const out = gitSpawn(topLevel, ['hash-object', '--no-filters', '--stdin'], bytes);
  if (out.status !== 0) throw new Error(`git hash-object failed: ${out.stderr.trim()}`);
  return out.stdout.toString('utf8').trim();
}

/** A path in the checkout as git would record it; `directory` when a folder is there. */
export function readSide(absolute: string): Side | undefined | 'directory' {
  let stat: Stats;
  try {
    stat = lstatSync(absolute);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (stat.isDirectory()) return 'directory';
  if (stat.isSymbolicLink()) return { mode: '120000', bytes: readlinkSync(absolute, { encoding: 'buffer' }) };
  const executable = process.platform !== 'win32' && (stat.mode & 0o100) !== 0;
  return { mode: executable ? '100755' : '100644', bytes: readFileSync(absolute) };
}

function sameSide(a: Side | undefined, b: Side | undefined): boolean {
  if (!a || !b) return a === b;
  const modeMatters = process.platform !== 'win32' || a.mode === '120000' || b.mode === '120000';
  return (!modeMatters || a.mode === b.mode) && a.bytes.equals(b.bytes);
}

/** git's own heuristic: a NUL byte in the first 8000 bytes. */
function isBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

/** `git merge-file -p`: the merged text and whether it merged without conflicts. */
function mergeFile(topLevel: string, ours: Buffer, base: Buffer, theirs: Buffer): { clean: boolean; text: string } {
  const dir = mkdtempSync(join(tmpdir(), 'orchestrator-merge-'));
  try {
    const files = (['ours', 'base', 'theirs'] as const).map((name, i) => {
      const file = join(dir, name);
      writeFileSync(file, [ours, base, theirs][i]!);
      return file;
    });
    const out = gitSpawn(topLevel, [
      'merge-file',
      '-p',
      '-L',
      'your checkout',
      '-L',
      'when the run started',
      '-L',
      'the run',
      ...files,
    ]);
    // Exit status: 0 clean, >0 the number of conflicts, <0 (255 here) an error such as binary input.
    return { clean: out.status === 0, text: out.stdout.toString('utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What changed between two trees, path by path (no rename pairing). */
async function treeChanges(topLevel: string, baseTree: string, resultTree: string): Promise<TreeChange[]> {
  const out = await gitAt(topLevel).raw([
    'diff-tree',
    '-r',
    '-z',
    '--no-renames',
    '--no-ext-diff',
    baseTree,
    resultTree,
  ]);
  const fields = out.split('\0');
  const changes: TreeChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [oldMode, newMode, oldOid, newOid] = fields[i]!.replace(/^:/, '').split(' ');
    const path = fields[i + 1]!;
    changes.push({
      path,
      ...(oldMode && oldMode !== '000000' ? { base: { mode: oldMode, oid: oldOid! } } : {}),
      ...(newMode && newMode !== '000000' ? { result: { mode: newMode, oid: newOid! } } : {}),
    });
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
