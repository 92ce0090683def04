import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes via a temp file in the same directory and a rename, so a reader (or a run that
 * is cancelled or crashes mid-write) sees either the old file or the new one, never half.
 * Same directory keeps the rename on one file system, where it is atomic.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  // Keep an existing file's permissions (an executable script stays executable).
  const previousMode = await stat(path).then(
    (s) => s.mode & 0o7777,
    () => undefined,
  );
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.orchestrator-tmp`);
  try {
    await writeFile(temp, content, { encoding: 'utf8', flag: 'wx' });
    if (previousMode !== undefined) await chmod(temp, previousMode);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
