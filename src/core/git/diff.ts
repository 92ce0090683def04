import { checkpointPathspecs, toPosixRelative } from './checkpointPaths';
import { lookupCheckpointEntries, readBlob } from './checkpointFiles';
import { gitAt } from './gitRunner';
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
export async function diffSinceCheckpoint(workspace: string, ref: string, paths?: readonly string[], against?: string): Promise<string> {
  if (paths?.length === 0) return '';
  const tree = against ?? (await currentTree(workspace));
  return gitAt(workspace).raw(['diff', ...DIFF_OPTIONS, ref, tree, '--', ...checkpointPathspecs(paths)]);
}

/** Which files were added, modified or deleted since the checkpoint (sorted by path). */
export async function changedFiles(workspace: string, ref: string, paths?: readonly string[]): Promise<ChangedFile[]> {
  if (paths?.length === 0) return [];
  const tree = await currentTree(workspace);
  const out = await gitAt(workspace).raw([
    'diff', ...DIFF_OPTIONS, '--name-status', '-z', ref, tree, '--', ...checkpointPathspecs(paths),
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
export async function lineStats(workspace: string, ref: string, paths: readonly string[]): Promise<{ added: number; removed: number }> {
  if (paths.length === 0) return { added: 0, removed: 0 };
  const tree = await currentTree(workspace);
  const out = await gitAt(workspace).raw(['diff', ...DIFF_OPTIONS, '--numstat', ref, tree, '--', ...checkpointPathspecs(paths)]);
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
