/**
 * Files a command looked for and did not find in a copy of the repository (init's verification
 * worktree, a run's worktree) that the user's checkout has: never committed (gitignored, or on the
 * deny list and so left out of every snapshot). The command's own message names a path ("no such
 * file or directory", "permission denied"); this names the file in the checkout and why the copy
 * lacks it, so a failure reads as what it is and not as the code's fault.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** At most this many per command: a loop over missing files is one finding. */
const MAX_FILES = 10;

const MISSING = [
  /ENOENT: no such file or directory, \w+ '([^']+)'/g, // Node
  /EACCES: permission denied, \w+ '([^']+)'/g,
  /(?:No such file or directory|Permission denied): '([^']+)'/g, // Python
  /\b(?:open|stat|lstat|readlink) ([^\s'":]+): (?:no such file or directory|permission denied)/gi, // Go
  /([^\s'":]+): (?:No such file or directory|Permission denied)/g, // cat, sh, make
];

export interface RepositoryCopy {
  /** Where the command ran (a relative path in a message is from here). */
  cwd: string;
  /** The copy's top level (the worktree). */
  root: string;
  /** The checkout's top level. */
  checkout: string;
}

/** Repository-relative paths (`/`-separated) the output says were missing that only the checkout has. */
export function missedFiles(output: string, copy: RepositoryCopy): string[] {
  const found = new Set<string>();
  for (const pattern of MISSING) {
    for (const match of output.matchAll(pattern)) {
      if (found.size >= MAX_FILES) break;
      const path = resolve(copy.cwd, match[1]!);
      const rel = relative(copy.root, path);
      if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue;
      if (!existsSync(path) && existsSync(join(copy.checkout, rel))) found.add(rel.split(sep).join('/'));
    }
  }
  return [...found];
}

/** One line per missed file, `why` saying why the copy lacks it (the caller knows the deny list). */
export function missedFileLines(output: string, copy: RepositoryCopy, why: (path: string) => string): string {
  return missedFiles(output, copy)
    .map((path) => `\n[orchestrator] ${path} is in your checkout but not where this command ran: ${why(path)}`)
    .join('');
}
