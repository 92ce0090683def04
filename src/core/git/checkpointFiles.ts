import { gitAt, inChunks } from './gitRunner';

/** One path as recorded in a checkpoint's tree. */
export interface CheckpointEntry {
  /** `100644`, `100755` (executable), `120000` (symlink), `040000` (directory), `160000` (submodule). */
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  oid: string;
}

/**
 * Looks the given workspace-relative paths up in the checkpoint, in a few git calls rather
 * than one per path. Paths absent from the checkpoint are absent from the map. `ls-tree`
 * takes its path arguments literally and relative to the working directory (the workspace).
 */
export async function lookupCheckpointEntries(
  workspace: string,
  ref: string,
  paths: readonly string[],
): Promise<Map<string, CheckpointEntry>> {
  const found = new Map<string, CheckpointEntry>();
  const git = gitAt(workspace);
  for (const chunk of inChunks([...new Set(paths)])) {
    const out = await git.raw(['ls-tree', '-z', ref, '--', ...chunk]);
    for (const record of out.split('\0')) {
      const tab = record.indexOf('\t');
      if (tab === -1) continue;
      const [mode, type, oid] = record.slice(0, tab).split(' ');
      if (!mode || !oid || (type !== 'blob' && type !== 'tree' && type !== 'commit')) continue;
      found.set(record.slice(tab + 1), { mode, type, oid });
    }
  }
  return found;
}

/** A blob's exact bytes (binary-safe: never decoded as text). */
export async function readBlob(workspace: string, oid: string): Promise<Buffer> {
  return (await gitAt(workspace).binaryCatFile(['blob', oid])) as Buffer;
}

/** Makes sure `ref` names a commit, with an error that says which run's checkpoint is missing. */
export async function assertCheckpointExists(workspace: string, ref: string): Promise<void> {
  let out = '';
  try {
    out = (await gitAt(workspace).raw(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim();
  } catch {
    // Reported below.
  }
  if (!/^[0-9a-f]{40,64}$/.test(out)) throw new Error(`Checkpoint ${ref} not found in the repository of ${workspace}`);
}
