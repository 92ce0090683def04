import { checkpointPathspecs, toPosixRelative } from './checkpointPaths';
import { lookupCheckpointEntries, readBlob } from './checkpointFiles';
import { gitAt } from './gitRunner';
import { commitOf } from './history';
import { locateRepo, writeWorktreeTree } from './worktreeTree';

export interface ChangedFile {
  /** Workspace-relative, `/`-separated. */
  path: string;
  status: 'added' | 'modified' | 'deleted';
}

// Independent of the user's diff configuration: no external diff tools, no textconv
// filters, no colour, and no rename pairing (each path is reported as itself).
const DIFF_OPTIONS = ['--no-color', '--no-ext-diff', '--no-textconv', '--no-renames', '--relative'];

/**
 * The unified diff from the checkpoint to the work tree as it is now, new untracked files
 * included, optionally limited to some workspace-relative paths (an empty list means none). The run's own journal
 * under `.claude/runs/` is left out. `against`: a commit already made of the work tree, to diff with instead.
 */
export async function diffSinceCheckpoint(
  workspace: string,
  ref: string,
  paths?: readonly string[],
  against?: string,
): Promise<string> {
  if (paths?.length === 0) return '';
  const tree = against ?? (await currentTree(workspace));
  return gitAt(workspace).raw(['diff', ...DIFF_OPTIONS, ref, tree, '--', ...checkpointPathspecs(paths)]);
}

/** A file's unified diff between two commits, with its line counts (`binary`: git shows no lines of it). */
export interface FileDiff extends ChangedFile {
  insertions: number;
  deletions: number;
  binary?: true;
  /** git's patch of the file, from its `diff --git` line; cut at `maxChars` (`clipped`). */
  patch: string;
  clipped?: true;
}

/**
 * Each file changed from commit `from` to commit `to`, sorted by path, relative to `workspace`
 * (its folder of a monorepo only). The list comes from `--name-status -z` (any path, as it is);
 * the patch of each from one `git diff` of the same pairs, split at its `diff --git` lines, in the
 * same order.
 */
export async function diffBetween(workspace: string, from: string, to: string, maxChars = 64_000): Promise<FileDiff[]> {
  const git = gitAt(workspace);
  const [names, patch] = await Promise.all([
    git.raw(['diff', ...DIFF_OPTIONS, '--name-status', '-z', from, to, '--']),
    git.raw(['diff', ...DIFF_OPTIONS, from, to, '--']),
  ]);
  const fields = names.split('\0');
  const patches = patch.split(/^(?=diff --git )/m).filter((p) => p.startsWith('diff --git '));
  const files: FileDiff[] = [];
  for (let i = 0, n = 0; i + 1 < fields.length; i += 2, n++) {
    const code = fields[i]!.charAt(0);
    const text = patches[n] ?? '';
    files.push({
      path: fields[i + 1]!,
      status: code === 'A' ? 'added' : code === 'D' ? 'deleted' : 'modified',
      ...lineCounts(text),
      ...(text.length > maxChars ? { patch: text.slice(0, maxChars), clipped: true as const } : { patch: text }),
    });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The lines a file's patch adds and removes (its hunks only, not its `---`/`+++` header). */
function lineCounts(patch: string): Pick<FileDiff, 'insertions' | 'deletions' | 'binary'> {
  let insertions = 0;
  let deletions = 0;
  let inHunk = false;
  for (const line of patch.split('\n')) {
    if (line.startsWith('@@')) inHunk = true;
    else if (!inHunk) continue;
    else if (line.startsWith('+')) insertions++;
    else if (line.startsWith('-')) deletions++;
  }
  return { insertions, deletions, ...(!inHunk && /^Binary files /m.test(patch) ? { binary: true as const } : {}) };
}

/** Which files were added, modified or deleted since the checkpoint (sorted by path). */
export async function changedFiles(workspace: string, ref: string, paths?: readonly string[]): Promise<ChangedFile[]> {
  if (paths?.length === 0) return [];
  const tree = await currentTree(workspace);
  const out = await gitAt(workspace).raw([
    'diff',
    ...DIFF_OPTIONS,
    '--name-status',
    '-z',
    ref,
    tree,
    '--',
    ...checkpointPathspecs(paths),
  ]);
  const fields = out.split('\0');
  const files: ChangedFile[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const code = fields[i]!.charAt(0);
    const status = code === 'A' ? 'added' : code === 'D' ? 'deleted' : 'modified'; // M, T (type change)
    files.push({ path: fields[i + 1]!, status });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Lines added and removed since the checkpoint over `paths` (binary files count for nothing). */
export async function lineStats(
  workspace: string,
  ref: string,
  paths: readonly string[],
): Promise<{ added: number; removed: number }> {
  if (paths.length === 0) return { added: 0, removed: 0 };
  const tree = await currentTree(workspace);
  const out = await gitAt(workspace).raw([
    'diff',
    ...DIFF_OPTIONS,
    '--numstat',
    ref,
    tree,
    '--',
    ...checkpointPathspecs(paths),
  ]);
  let added = 0;
  let removed = 0;
  for (const line of out.split('\n')) {
    const [plus, minus] = line.split('\t');
    if (plus && minus && plus !== '-') {
      added += Number(plus) || 0;
      removed += Number(minus) || 0;
    }
  }
  return { added, removed };
}

/** A file's bytes at the checkpoint, exactly; undefined if it did not exist there (or is not a file). */
export async function fileAtCheckpoint(workspace: string, ref: string, path: string): Promise<Buffer | undefined> {
  const relative = toPosixRelative(path);
  const entry = (await lookupCheckpointEntries(workspace, ref, [relative])).get(relative);
  return entry?.type === 'blob' ? readBlob(workspace, entry.oid) : undefined;
}

async function currentTree(workspace: string): Promise<string> {
  return writeWorktreeTree(await locateRepo(workspace));
}

/** `git diff --shortstat` from commit `from` to commit `to`, as numbers. */
export async function shortStat(
  dir: string,
  from: string,
  to: string,
): Promise<{ files: number; insertions: number; deletions: number }> {
  const out = await gitAt(dir).raw(['diff', '--shortstat', '--no-renames', from, to]);
  const count = (word: RegExp): number => Number(word.exec(out)?.[1] ?? 0);
  return {
    files: count(/(\d+) files? changed/),
    insertions: count(/(\d+) insertions?/),
    deletions: count(/(\d+) deletions?/),
  };
}

/** Each path changed from tree-ish `from` to `to` (repository-relative, as git names it) and its status letter (`A`, `M`, `D`, `T`). */
export async function treeChanges(
  dir: string,
  from: string,
  to: string,
  env: Record<string, string> = {},
): Promise<{ status: string; path: string }[]> {
  const fields = (await gitAt(dir, env).raw(['diff-tree', '-r', '-z', '--no-renames', '--name-status', from, to]))
    .split('\0')
    .filter(Boolean);
  const changes: { status: string; path: string }[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) changes.push({ status: fields[i]!, path: fields[i + 1]! });
  return changes;
}

/** Lines added and removed per workspace-relative path from `from` to `to` over `paths`; undefined when git fails. */
export async function numstatByPath(
  workspace: string,
  from: string,
  to: string,
  paths: readonly string[],
): Promise<Map<string, { added: number; removed: number }> | undefined> {
  const out = await gitAt(workspace)
    .raw(['diff', ...DIFF_OPTIONS, '--numstat', '-z', from, to, '--', ...checkpointPathspecs(paths)])
    .catch(() => undefined);
  if (out === undefined) return undefined;
  const stats = new Map<string, { added: number; removed: number }>();
  for (const record of out.split('\0')) {
    const [added, removed, path] = record.replace(/^\n/, '').split('\t');
    if (path) stats.set(path, { added: Number(added) || 0, removed: Number(removed) || 0 });
  }
  return stats;
}

/**
 * The paths that differ between two commits (`verify --affected base..head`), relative to
 * `workspace`, sorted; each name resolved first, so a range naming no commit says which end.
 */
export async function pathsChangedBetween(workspace: string, base: string, head: string): Promise<string[]> {
  const ends = [await commitOf(workspace, base), await commitOf(workspace, head)];
  const out = await gitAt(workspace).raw(['diff', ...DIFF_OPTIONS, '--name-only', '-z', ends[0]!, ends[1]!, '--']);
  return out.split('\0').filter(Boolean).map(toPosixRelative).sort();
}
