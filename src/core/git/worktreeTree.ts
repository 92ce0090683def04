import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync, utimesSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { DenyList } from '../project/config';
import picomatch from 'picomatch';
import { QUEUE_FILE_GLOBS } from '../queue';
import { QUEUE_EXCLUDES } from './checkpointPaths';
import { gitAt, inChunks, worktreeGit, type Git } from './gitRunner';

export interface RepoLocation {
  /** Root of the work tree (the workspace may be a sub-directory of it). */
  topLevel: string;
  /** The repository's real index file (works for linked worktrees too). */
  indexFile: string;
  /**
   * A git directory named outright (an agent's own repository): every git call on it is pinned
   * to it and to `topLevel` (GIT_DIR, GIT_WORK_TREE), whatever a `.git` in the folder says.
   */
  gitDir?: string;
}

/** The variables that pin git to a repository named outright; none for one found from its folder. */
export const pinnedGit = (repo: Pick<RepoLocation, 'topLevel' | 'gitDir'>): Record<string, string> =>
  repo.gitDir ? { GIT_DIR: repo.gitDir, GIT_WORK_TREE: repo.topLevel } : {};

// A run snapshots its work tree several times (checkpoint, diffs, trace, drift): the repository
// of a workspace is looked up once, and again only if its git folder has gone.
const located = new Map<string, RepoLocation>();
const LOCATED_MAX = 256;

/** The repository of `workspace` as found before, while its git folder is still there. */
export function knownRepo(workspace: string): RepoLocation | undefined {
  const known = located.get(workspace);
  return known && existsSync(dirname(known.indexFile)) ? known : undefined;
}

/** Where the repository containing `workspace` lives; throws when it is not in a git work tree. */
export async function locateRepo(workspace: string): Promise<RepoLocation> {
  const known = knownRepo(workspace);
  if (known) return known;
  const out = await gitAt(workspace).raw(['rev-parse', '--show-toplevel', '--git-path', 'index']);
  const [topLevel, indexPath] = out.split('\n').map((line) => line.trim());
  if (!topLevel || !indexPath) throw new Error(`Not a git work tree: ${workspace}`);
  const location = { topLevel, indexFile: isAbsolute(indexPath) ? indexPath : resolve(workspace, indexPath) };
  if (located.size >= LOCATED_MAX) located.delete(located.keys().next().value!);
  located.set(workspace, location);
  return location;
}

/**
 * Writes the whole work tree as it is now (tracked files with their changes, plus untracked
 * files that are not ignored) as a git tree object, and returns its id. HEAD, the real
 * index, the stash and the branch are never touched: everything goes through a throwaway
 * index file. Seeding it with a copy of the real index lets `git add -A` reuse the cached
 * stat data and hash only what changed, which keeps this fast on large repositories.
 * Files on the deny list (secrets) are taken out of the tree, tracked or not: they never
 * reach a checkpoint ref (which `git push --mirror` would publish); nor do the task queue's files.
 */
export async function writeWorktreeTree(repo: RepoLocation, deny: DenyList = new DenyList()): Promise<string> {
  // Beside the real index (in .git/): a run killed right here leaves nothing in the OS temp folder.
  const dir = mkdtempSync(join(dirname(repo.indexFile), 'orchestrator-index-'));
  const tempIndex = join(dir, 'index');
  try {
    if (existsSync(repo.indexFile)) seedIndex(repo.indexFile, tempIndex);
    const git = await worktreeGit(repo.topLevel, { ...pinnedGit(repo), GIT_INDEX_FILE: tempIndex });
    await addAll(git, ['add', '--all', '--', ':/', ...deny.gitPathspecs(true, false), ...QUEUE_EXCLUDES]);
    // Tracked denied files (and a committed queue) came in with the seeded index: out with them too.
    const listed = await git.raw([
      'ls-files',
      '-z',
      '--cached',
      '--',
      ...deny.gitPathspecs(false, true),
      ...QUEUE_EXCLUDES.map((spec) => spec.replace(':(exclude,glob)', ':(glob)')),
    ]);
    const denied = listed
      .split('\0')
      .filter((path) => path !== '' && (deny.match(path) !== undefined || isQueueFile(path)));
    for (const chunk of inChunks(denied)) await git.raw(['update-index', '--force-remove', '--', ...chunk]);
    return (await git.raw(['write-tree'])).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `git add --all` while the work tree may change under it (an agent or the engine writing a file
 * through a temporary one and a rename): git lists a folder, the file is gone before it stats it,
 * and git stops with "unable to stat '…': No such file or directory" (or, gone between its stat and
 * its open, `open("…"): No such file or directory`, "unable to index file"); `--ignore-errors` does
 * not cover this. Only an untracked file ends there (a tracked one that is gone is recorded as
 * deleted), and it was not in the work tree when git looked: the next attempt leaves it out. A
 * plain retry was not enough: on a loaded machine git is often paused between listing a folder
 * and looking at its files, and a file renamed in a tight loop then vanished from scan after
 * scan (fifty in a row failed in CI).
 */
async function addAll(git: Git, args: readonly string[]): Promise<void> {
  const vanished: string[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      await git.raw([...args, ...vanished.map((path) => `:(top,exclude,literal)${path}`)]);
      return;
    } catch (error) {
      const path = vanishedPath((error as Error).message);
      if (attempt >= VANISHED_ATTEMPTS || path === undefined) throw error;
      vanished.push(path);
    }
  }
}

const VANISHED_ATTEMPTS = 50;
const VANISHED = /unable to stat '(.*)': No such file or directory|\bopen\("(.*)"\): No such file or directory/;

/** The untracked file `git add` says went away under it, if that is what stopped it. */
export function vanishedPath(gitError: string): string | undefined {
  const match = VANISHED.exec(gitError);
  return match?.[1] ?? match?.[2];
}

/** The task queue's files (QUEUE_EXCLUDES' globs, as git matches them): never in a tree. */
const isQueueFile = picomatch([...QUEUE_FILE_GLOBS], { dot: true });

/**
 * Copies the index and backdates the copy by a second. Git trusts a cached entry only if
 * the file is older than the index ("racy git"); a fresh copy would look newer than the
 * original and could make git skip a file edited just after the real index was written.
 * An older timestamp only makes git re-check more files, never fewer.
 */
function seedIndex(from: string, to: string): void {
  copyFileSync(from, to);
  const { atime, mtimeMs } = statSync(from);
  utimesSync(to, atime, new Date(mtimeMs - 1000));
}
