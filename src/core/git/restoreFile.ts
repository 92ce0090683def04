import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { dirname } from 'node:path';

export type RestoreOutcome = 'restored' | 'unchanged';

const SYMLINK_MODE = '120000';
const EXECUTABLE_MODE = '100755';
// Windows has no executable bit to restore; comparing it would report every file as changed.
const TRACKS_EXEC_BIT = process.platform !== 'win32';

/**
 * Puts a checkpoint blob back at `absolute`, byte for byte, with its git mode (executable
 * bit, or a symlink). A file that already matches is left alone so its mtime does not
 * change and watchers and incremental builds are not woken for nothing.
 */
export function restoreFile(absolute: string, content: Buffer, gitMode: string): RestoreOutcome {
  const current = lstatOrUndefined(absolute);
  if (current?.isDirectory()) throw new Error('a directory is in the way');
  if (gitMode === SYMLINK_MODE) return restoreSymlink(absolute, content, current);
  const executable = gitMode === EXECUTABLE_MODE;
  if (current?.isFile() && sameExecBit(current, executable) && readFileSync(absolute).equals(content))
    return 'unchanged';
  // A symlink (or anything else) now at the path is replaced, never written through.
  if (current && !current.isFile()) unlinkSync(absolute);
  mkdirSync(dirname(absolute), { recursive: true });
  writeFileSync(absolute, content);
  if (TRACKS_EXEC_BIT) {
    const mode = statSync(absolute).mode & 0o7777;
    const wanted = executable ? mode | ((mode & 0o444) >> 2) : mode & ~0o111;
    if (wanted !== mode) chmodSync(absolute, wanted);
  }
  return 'restored';
}

/** Removes a file the run created. Returns false when it is already gone. */
export function removeCreatedFile(absolute: string): boolean {
  const current = lstatOrUndefined(absolute);
  if (!current) return false;
  if (current.isDirectory()) throw new Error('is a directory; left in place');
  unlinkSync(absolute);
  return true;
}

function restoreSymlink(absolute: string, target: Buffer, current: Stats | undefined): RestoreOutcome {
  if (current?.isSymbolicLink() && readlinkSync(absolute, { encoding: 'buffer' }).equals(target)) return 'unchanged';
  if (current) unlinkSync(absolute);
  mkdirSync(dirname(absolute), { recursive: true });
  symlinkSync(target, absolute);
  return 'restored';
}

function sameExecBit(stat: Stats, executable: boolean): boolean {
  return !TRACKS_EXEC_BIT || ((stat.mode & 0o100) !== 0) === executable;
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
