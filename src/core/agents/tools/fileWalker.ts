import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { isGitSegment } from '../guard/pathSyntax';

/** Directories never worth walking into, whatever .gitignore says. */
const ALWAYS_SKIPPED = new Set(['node_modules']);

interface IgnoreLevel {
  /** Workspace-relative folder the .gitignore sits in ('' = root). */
  base: string;
  rules: Ignore;
}

export interface WalkOptions {
  /** Workspace-relative folder to start from ('' = root); must already be guard-checked. */
  start: string;
  /** Optional glob; without a '/' it matches the file name, otherwise the relative path. */
  pattern?: string;
  /** Stop after this many matching files (the caller reports truncation). */
  maxFiles: number;
}

export interface WalkResult {
  files: string[];
  truncated: boolean;
}

/**
 * Regular files under `start`, sorted, as workspace-relative posix paths. Honours
 * .gitignore files (root, nested, and those in the folders above `start`), skips `.git`
 * and node_modules, and never follows symlinks, so nothing outside the workspace is seen.
 */
export async function walkFiles(root: string, options: WalkOptions): Promise<WalkResult> {
  const matches = makeMatcher(options.pattern);
  const files: string[] = [];
  const levels: IgnoreLevel[] = [];
  // Rules from the folders above the start apply too (a root `*.log` ignores `src/a.log`).
  const startParts = options.start === '' ? [] : options.start.split('/');
  for (let i = 0; i < startParts.length; i++) {
    const level = await loadIgnore(root, startParts.slice(0, i).join('/'));
    if (level) levels.push(level);
  }

  const visit = async (dir: string, levelsHere: IgnoreLevel[]): Promise<boolean> => {
    const own = await loadIgnore(root, dir);
    const active = own ? [...levelsHere, own] : levelsHere;
    const entries = await readdir(dir === '' ? root : join(root, dir), { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (isGitSegment(entry.name) || ALWAYS_SKIPPED.has(entry.name) || isIgnored(active, rel, true)) continue;
        if (!(await visit(rel, active))) return false;
      } else if (entry.isFile()) {
        if (isIgnored(active, rel, false) || !matches(rel)) continue;
        if (files.length === options.maxFiles) return false;
        files.push(rel);
      }
    }
    return true;
  };

  const complete = await visit(options.start, levels);
  return { files, truncated: !complete };
}

function makeMatcher(pattern: string | undefined): (rel: string) => boolean {
  if (!pattern) return () => true;
  const glob = pattern.replace(/^\.\//, '');
  const test = picomatch(glob, { dot: true });
  if (glob.includes('/')) return (rel) => test(rel);
  return (rel) => test(rel.slice(rel.lastIndexOf('/') + 1));
}

async function loadIgnore(root: string, dir: string): Promise<IgnoreLevel | undefined> {
  const text = await readFile(join(root, dir, '.gitignore'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  return { base: dir, rules: ignore().add(text) };
}

/** The deepest .gitignore with an opinion wins, as in git. */
function isIgnored(levels: IgnoreLevel[], rel: string, isDir: boolean): boolean {
  let ignored = false;
  for (const level of levels) {
    const local = level.base === '' ? rel : rel.slice(level.base.length + 1);
    let result: { ignored: boolean; unignored: boolean };
    try {
      result = level.rules.test(isDir ? `${local}/` : local);
    } catch {
      continue; // a name the ignore library cannot parse is simply not ignored
    }
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}
