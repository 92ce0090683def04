import { lstatSync } from 'node:fs';
import { join, posix, win32 } from 'node:path';
import { toPosixRelative } from './checkpointPaths';

export type PathCheck = { ok: true; relative: string; absolute: string } | { ok: false; reason: string };

/**
 * Decides whether rollback may touch `path` (workspace-relative, from the journal): never
 * outside the workspace, never under `.git`, and never through a symlinked directory, which
 * could lead anywhere (git itself does not track files behind symlinks).
 */
export function checkRollbackPath(workspace: string, path: string): PathCheck {
  if (path.includes('\0')) return { ok: false, reason: 'contains a NUL byte' };
  if (posix.isAbsolute(path) || win32.isAbsolute(path))
    return { ok: false, reason: 'absolute path, outside the workspace' };
  const relative = toPosixRelative(path);
  if (relative === '' || relative === '.') return { ok: false, reason: 'not a file path' };
  if (relative === '..' || relative.startsWith('../')) return { ok: false, reason: 'outside the workspace' };
  const segments = relative.split('/');
  if (segments.some((segment) => segment.toLowerCase() === '.git')) return { ok: false, reason: 'under .git' };
  for (let depth = 1; depth < segments.length; depth++) {
    const dir = segments.slice(0, depth).join('/');
    const problem = ancestorProblem(join(workspace, ...segments.slice(0, depth)), dir);
    if (problem === 'missing') break; // the rest will be created inside the workspace
    if (problem) return { ok: false, reason: problem };
  }
  return { ok: true, relative, absolute: join(workspace, ...segments) };
}

function ancestorProblem(absolute: string, dir: string): string | 'missing' | undefined {
  try {
    const stat = lstatSync(absolute);
    if (stat.isSymbolicLink()) return `goes through the symlink ${dir}`;
    if (!stat.isDirectory()) return `${dir} is not a directory`;
    return undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw err;
  }
}
