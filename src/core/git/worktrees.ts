/**
 * Git worktrees for runs (issue 22): one per run, outside the checkout, checked out from the
 * run's start commit (detached, so no branch is created or moved). `git worktree add` writes
 * only under `.git/worktrees/<name>/`: the main checkout's HEAD, index, branch and stash are
 * never touched. Hooks (post-checkout) and filters do not run, as for every git call here.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { spreadSubfolders } from '../sandbox';
import { filtersOff, gitAt, type Git } from './gitRunner';
import { recordWorktree } from './worktreeRecord';

/**
 * The per-user cache folder that holds run worktrees when `worktree.dir` is not set:
 * `$XDG_CACHE_HOME/orchestrator/worktrees` (else `~/.cache/…`; `%LOCALAPPDATA%` on Windows,
 * `~/Library/Caches` on macOS).
 */
export function defaultWorktreeRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'orchestrator', 'worktrees');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'orchestrator', 'worktrees');
  const cache = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(cache, 'orchestrator', 'worktrees');
}

/**
 * This repository's folder of run worktrees: `<root>/<repo name>-<hash of its path>`, so two
 * clones with the same name never share one. `dir` (the config's `worktree.dir`) is taken
 * relative to the checkout when it is not absolute.
 */
export function repoWorktreeFolder(topLevel: string, dir: string | undefined): string {
  const root = dir ? resolve(topLevel, dir) : defaultWorktreeRoot();
  const real = realpathOr(topLevel);
  const hash = createHash('sha256').update(real).digest('hex').slice(0, 12);
  return join(root, `${basename(real).replace(/[^A-Za-z0-9._-]/g, '_')}-${hash}`);
}

/**
 * Makes the worktree at `path` from `commit`, detached: git's record of it written here at once
 * (worktreeRecord.ts; no git process, none waiting for another), then its index and files made by
 * one `git reset --hard` in it, beside the other runs' (twenty issues at once waited ~0.3 s each
 * behind one another when the checkout was in line). Where git must add it itself (a sparse
 * checkout, a ref rather than an object id), `git worktree add --no-checkout` does: git reads every
 * worktree's admin folder when it adds one, and fails on one another `worktree add` is still writing
 * ("failed to read .git/worktrees/<id>/commondir"): those adds of this process go one at a time,
 * and a clash with another process is tried again.
 */
export async function addWorktree(topLevel: string, path: string, commit: string): Promise<void> {
  assertOutside(topLevel, path);
  const folder = join(path, '..');
  await mkdir(folder, { recursive: true });
  // Each worktree in a block group of its own (sandbox/spreadFolder.ts): on some disks, the one that matters.
  await spreadSubfolders(folder);
  // A worktree shares its repository's configuration: one look at its filter drivers serves both calls.
  const off = await filtersOff(topLevel);
  const git = gitAt(topLevel, {}, off);
  const recorded = await recordWorktree(topLevel, path, commit);
  if (recorded === undefined) await gitAddWorktree(git, path, commit);
  // The index and the files of `commit`, in this worktree only (its own admin folder), filters off as for the add.
  await gitAt(path, {}, off)
    .raw(['reset', '--hard', '--quiet'])
    .catch((error: unknown) => {
      // A commit this repository lacks: nothing left behind, as git's add leaves nothing then.
      if (recorded !== undefined) for (const made of [path, recorded]) rmSync(made, { recursive: true, force: true });
      throw error;
    });
}

async function gitAddWorktree(git: Git, path: string, commit: string): Promise<void> {
  await oneAtATime(async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        await git.raw(['worktree', 'add', '--detach', '--no-checkout', '--quiet', path, commit]);
        return;
      } catch (error) {
        if (attempt >= ADD_ATTEMPTS || !HALF_WRITTEN.test(String((error as Error).message))) throw error;
        rmSync(path, { recursive: true, force: true });
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  });
}

const ADD_ATTEMPTS = 5;
const HALF_WRITTEN = /worktrees[\\/][^\s]*(commondir|gitdir|HEAD)/;
let queue: Promise<unknown> = Promise.resolve();

/** This process's worktree adds, removals and prunes, one after the other (a prune could take a half-made one). */
function oneAtATime<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * Removes a run's worktree: git's record and the folder. Only inside this repository's
 * worktree folder: a journal (workspace content) naming some other path, such as another
 * worktree of the user's, never gets it removed; git's record of a vanished one is pruned.
 */
export async function removeWorktree(topLevel: string, path: string, folder: string): Promise<void> {
  const git = gitAt(topLevel);
  await oneAtATime(async () => {
    if (existsSync(path) && isInside(folder, path)) {
      // Twice forced: also a worktree git marked locked; its changes are the run's, already kept or dropped.
      const removed = await git.raw(['worktree', 'remove', '--force', '--force', path]).then(
        () => true,
        () => false,
      );
      // git removed its record with the folder: nothing left to prune.
      if (removed && !existsSync(path)) return;
      if (existsSync(path)) rmSync(path, { recursive: true, force: true });
    }
    await git.raw(['worktree', 'prune']);
  });
}

/** `git worktree prune`: git's records of worktrees whose folder is gone. */
export async function pruneWorktrees(topLevel: string): Promise<void> {
  await oneAtATime(() => gitAt(topLevel).raw(['worktree', 'prune']));
}

/** The worktrees git has registered for this repository (the main checkout excluded). */
export async function listWorktrees(topLevel: string): Promise<string[]> {
  const out = await gitAt(topLevel).raw(['worktree', 'list', '--porcelain', '-z']);
  const paths = out
    .split('\0')
    .filter((field) => field.startsWith('worktree '))
    .map((field) => field.slice('worktree '.length));
  // git lists the main worktree first (git-worktree(1)): no path of the others looked up on disk.
  return paths.slice(1);
}

/** The folders in this repository's worktree folder (whether git still knows them or not). */
export function worktreeFolders(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(folder, entry.name));
}

/**
 * Links the `worktree.link` folders of the main checkout into the worktree (a junction on
 * Windows, which needs no privilege). One the checkout does not have, or the worktree
 * already has (it is tracked), is left out. Returns the paths linked.
 */
export function linkFolders(checkout: string, worktree: string, links: readonly string[]): string[] {
  const linked: string[] = [];
  for (const link of links) {
    const from = join(checkout, link);
    const to = join(worktree, link);
    if (!isDirectory(from) || existsOrLink(to)) continue;
    mkdirSync(join(to, '..'), { recursive: true });
    symlinkSync(from, to, process.platform === 'win32' ? 'junction' : 'dir');
    linked.push(link.replace(/\\/g, '/'));
  }
  return linked;
}

export function isInside(folder: string, path: string): boolean {
  const rel = relative(resolve(folder), resolve(path));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

function assertOutside(topLevel: string, path: string): void {
  const top = realpathOr(topLevel);
  const target = resolve(path);
  if (target === top || target.startsWith(`${top}${sep}`)) {
    throw new Error(`worktree.dir must be outside the checkout: ${path} is inside ${top}`);
  }
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function existsOrLink(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
