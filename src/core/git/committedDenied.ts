/**
 * The files a commit holds that the deny list names (a committed `test/ec256-public.pem` fixture, an
 * `.env.test`): every snapshot the engine writes leaves them out (a checkpoint, an agent's worktree),
 * and they are put back where the project's own commands run on a snapshot (init's verification
 * worktree, a run's worktree), never where an agent works: the deny list keeps them from the model,
 * not from the project's tests. Only the committed version comes back: a file never committed (a
 * gitignored `.env`) or its uncommitted change never does.
 */
import { join } from 'node:path';
import type { DenyList } from '../project/config';
import { gitAt, gitSpawn, inChunks } from './gitRunner';
import { restoreFile } from './restoreFile';

/** Files bigger than this are left out (a keystore of megabytes is no test fixture). */
const MAX_BYTES = 1024 * 1024;

export interface CommittedFile {
  /** Repository-relative, `/`-separated. */
  path: string;
  /** Its git mode (`100644`, `100755`). */
  mode: string;
  bytes: Buffer;
}

/** The denied files `commit` holds, with their committed bytes (symlinks and submodules left out). */
export async function committedDenied(topLevel: string, commit: string, deny: DenyList): Promise<CommittedFile[]> {
  const git = gitAt(topLevel);
  // The index finds the candidates through pathspecs (fast on a large tree); the commit says what is committed.
  const listed = (await git.raw(['ls-files', '-z', '--cached', '--', ...deny.gitPathspecs(false, true)]))
    .split('\0')
    .filter((path) => path !== '' && deny.match(path) !== undefined);
  const files: CommittedFile[] = [];
  for (const chunk of inChunks(listed)) {
    const tree = await git.raw(['ls-tree', '-z', '--full-tree', commit, '--', ...chunk.map((p) => `:(literal)${p}`)]);
    for (const entry of tree.split('\0').filter(Boolean)) {
      const match = /^(\d{6}) blob ([0-9a-f]+)\t(.*)$/s.exec(entry);
      if (!match || match[1] === '120000') continue;
      const blob = gitSpawn(topLevel, ['cat-file', 'blob', match[2]!]);
      if (blob.status === 0 && blob.stdout.length <= MAX_BYTES)
        files.push({ path: match[3]!, mode: match[1]!, bytes: blob.stdout });
    }
  }
  return files;
}

/** Writes the files into the work tree at `root` (the copy of the repository's top level), each with its bytes. */
export function writeCommitted(root: string, files: readonly CommittedFile[]): void {
  for (const file of files) restoreFile(join(root, file.path), file.bytes, file.mode);
}
