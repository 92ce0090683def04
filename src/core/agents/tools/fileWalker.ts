import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { isGitSegment } from '../guard/pathSyntax';

/** Directories never worth walking into, whatever .gitignore says. */
const ALWAYS_SKIPPED = new Set(['node_modules']);
/** Entries checked between two turns of the event loop: a huge folder must not hold the host. */
const ENTRIES_PER_TURN = 200;

export interface WalkOptions {
  /** Workspace-relative folder to start from ('' = root); must already be guard-checked. */
  start: string;
  /** Optional glob; without a '/' it matches the file name, otherwise the relative path. */
  pattern?: string;
  /** Stop after this many matching files (the caller reports truncation). */
  maxFiles: number;
  /** Why a path is hidden from agents (secret, gitignored), or undefined: the guard's hiddenReason. */
  hidden: (rel: string, isDir: boolean) => Promise<string | undefined>;
}

export interface WalkResult {
  files: string[];
  truncated: boolean;
}

/**
 * Regular files under `start`, sorted, as workspace-relative posix paths. Skips what the
 * guard hides (denied and gitignored paths), `.git` and node_modules, and never follows
 * symlinks, so nothing outside the workspace is seen.
 */
export async function walkFiles(root: string, options: WalkOptions): Promise<WalkResult> {
  const matches = makeMatcher(options.pattern);
  const files: string[] = [];
  let checked = 0;

  const visit = async (dir: string): Promise<boolean> => {
    const entries = await readdir(dir === '' ? root : join(root, dir), { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (++checked % ENTRIES_PER_TURN === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (isGitSegment(entry.name) || ALWAYS_SKIPPED.has(entry.name) || (await options.hidden(rel, true))) continue;
        if (!(await visit(rel))) return false;
      } else if (entry.isFile()) {
        if (!matches(rel) || (await options.hidden(rel, false))) continue;
        if (files.length === options.maxFiles) return false;
        files.push(rel);
      }
    }
    return true;
  };

  const complete = await visit(options.start);
  return { files, truncated: !complete };
}

function makeMatcher(pattern: string | undefined): (rel: string) => boolean {
  if (!pattern) return () => true;
  const glob = pattern.replace(/^\.\//, '');
  const test = picomatch(glob, { dot: true });
  if (glob.includes('/')) return (rel) => test(rel);
  return (rel) => test(rel.slice(rel.lastIndexOf('/') + 1));
}
