/**
 * A private copy of the work tree for mutants (issue 61): they are written into it, never into the
 * run's work tree. Git's folder, the run journals and dependency folders stay out; each
 * `node_modules` package is linked, not copied (read by the tests, never mutated).
 */
import { cp, mkdir, readdir, realpath, rm, symlink } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { processTempFolder } from '../sandbox';

const LEFT_OUT = new Set(['.git', '.stryker-tmp']);
const LINKED = 'node_modules';

/** Each live copy's real linked folders, by its path. */
const copies = new Map<string, string[]>();

/** A fresh copy of `workTree`; `linked`: the folders its links lead to (a sandbox must let them be read); `dispose` removes it. */
export async function copyWorkTree(
  workTree: string,
): Promise<{ path: string; linked: string[]; dispose: () => Promise<void> }> {
  const path = processTempFolder('orch-mutants-');
  const links: string[] = [];
  await cp(workTree, path, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => {
      const rel = relative(workTree, source);
      const name = basename(source);
      if (rel === '') return true;
      if (LEFT_OUT.has(name) || rel.replaceAll('\\', '/').startsWith('.claude/runs')) return false;
      if (name === LINKED) links.push(rel);
      return name !== LINKED;
    },
  });
  // A copy of a copy (the built-in mutator's parallel workers) links to where the packages really
  // are and names the real folders: a command's sandbox does not see another copy.
  const parent = copies.get(workTree);
  for (const rel of links) await linkModules(join(workTree, rel), join(path, rel), parent !== undefined);
  const linked = parent ?? links.map((rel) => join(workTree, rel));
  copies.set(path, linked);
  const dispose = async () => {
    copies.delete(path);
    await rm(path, { recursive: true, force: true });
  };
  return { path, linked, dispose };
}

/**
 * The copy's `node_modules` is a folder of its own, each package in it a link: what the tests'
 * tools write there (Vite's and Vitest's caches, `.vite`, `.vitest-cache`, `.cache`) goes into the
 * copy, never into the run's work tree (a linked folder would take the mutants' caches).
 */
async function linkModules(source: string, target: string, throughLinks: boolean): Promise<void> {
  await mkdir(target, { recursive: true });
  for (const entry of await readdir(source, { withFileTypes: true })) {
    if (entry.name.startsWith('.') && !KEPT_DOT_ENTRIES.has(entry.name)) continue;
    const from = join(source, entry.name);
    const real = throughLinks ? await realpath(from).catch(() => from) : from;
    await symlink(real, join(target, entry.name), entry.isFile() ? 'file' : 'dir');
  }
}

/** What a package manager keeps in `node_modules` under a dot name: the binaries, pnpm's store and the lock files. */
const KEPT_DOT_ENTRIES = new Set([
  '.bin',
  '.pnpm',
  '.modules.yaml',
  '.package-lock.json',
  '.yarn-state.yml',
  '.yarn-integrity',
]);
