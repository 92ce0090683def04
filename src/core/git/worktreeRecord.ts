/**
 * git's record of a new worktree, written here rather than by `git worktree add` (issue 63): the
 * add took two git processes (the add and the `update-ref HEAD` it starts) a worktree, and had to
 * go one at a time (git reads every worktree's admin folder while it adds one, and failed on one
 * half-written). The record is the layout git documents (gitrepository-layout: `worktrees/<id>/`
 * with `gitdir`, `commondir`, `HEAD`; the worktree's `.git` file naming it), made in a folder of
 * its own and renamed into `worktrees/` whole, so no git process ever sees it half-made. A
 * repository whose worktrees get more than that from git (sparse checkouts, per-worktree
 * configuration) is left to `git worktree add`: `recordWorktree` answers undefined. Its file work
 * is asynchronous: a new file costs this disk 7-8 ms, and serve's main thread spent 145 ms of a
 * burst of twenty issues creating these (issue 63).
 */
import { access, mkdir, mkdtemp, readdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * Records `path` as a worktree of the repository at `topLevel`, detached at `commit` (an object id),
 * its files not checked out; returns its admin folder. Undefined, with nothing written, where
 * `git worktree add` must do it.
 */
export async function recordWorktree(topLevel: string, path: string, commit: string): Promise<string | undefined> {
  const common = await plainCommonDir(topLevel);
  if (common === undefined || !OBJECT_ID.test(commit)) return undefined;
  // As git: the folder may exist only empty.
  if ((await readdir(path).catch(() => [])).length > 0) throw new Error(`fatal: '${path}' already exists`);
  await mkdir(path, { recursive: true });
  const dotGit = join(await realpath(path), '.git');
  const worktrees = join(common, 'worktrees');
  // As written in the record: through the common folder's real path (`worktrees` may not exist yet).
  const recorded = join(await realpath(common), 'worktrees');
  const made = await mkdtemp(join(common, 'orchestrator-worktree-'));
  try {
    await Promise.all([
      writeFile(join(made, 'gitdir'), `${slashed(dotGit)}\n`),
      writeFile(join(made, 'commondir'), '../..\n'),
      writeFile(join(made, 'HEAD'), `${commit}\n`),
    ]);
    const name = basename(dotGit.slice(0, -'.git'.length - 1)).replace(/[^A-Za-z0-9._-]/g, '-') || 'worktree';
    for (let n = 0, pruned = 0; ; n++) {
      // Made again each time: another process's `git worktree remove`/`prune` deletes it once empty.
      await mkdir(worktrees, { recursive: true });
      const id = join(worktrees, n === 0 ? name : `${name}${n}`);
      if (await exists(id)) {
        // git refuses a path it still has a record of (its folder gone, not pruned yet).
        if ((await readText(join(id, 'gitdir'))) === slashed(dotGit)) {
          throw new Error(`fatal: '${path}' is a missing but already registered worktree`);
        }
        continue;
      }
      await writeFile(dotGit, `gitdir: ${slashed(recorded)}/${basename(id)}\n`);
      try {
        await rename(made, id);
        return id;
      } catch (error) {
        // Taken meanwhile by another add (a non-empty folder is not replaced): the next name. The folder pruned meanwhile: again.
        if (await exists(id)) continue;
        if (!(await exists(worktrees)) && pruned++ < 5) {
          n--;
          continue;
        }
        throw error;
      }
    }
  } catch (error) {
    await rm(made, { recursive: true, force: true });
    await rm(dotGit, { force: true });
    throw error;
  }
}

/**
 * The repository's own git folder when it is a plain one: `<topLevel>/.git`, or `topLevel` itself
 * for a bare clone (a pool worker's). Undefined for a `.git` file (a submodule, a worktree of
 * another checkout) and where git's add copies more than the record: a sparse checkout's patterns,
 * per-worktree configuration.
 */
async function plainCommonDir(topLevel: string): Promise<string | undefined> {
  const dotGit = join(topLevel, '.git');
  const dir = (await isDirectory(dotGit))
    ? dotGit
    : !(await exists(dotGit)) &&
        (await isDirectory(join(topLevel, 'objects'))) &&
        (await exists(join(topLevel, 'HEAD')))
      ? topLevel
      : undefined;
  if (dir === undefined || (await exists(join(dir, 'commondir')))) return undefined;
  if ((await exists(join(dir, 'info', 'sparse-checkout'))) || (await exists(join(dir, 'config.worktree'))))
    return undefined;
  return dir;
}

const slashed = (path: string): string => (process.platform === 'win32' ? path.replace(/\\/g, '/') : path);

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

const readText = (file: string): Promise<string | undefined> =>
  readFile(file, 'utf8').then(
    (text) => text.trim(),
    () => undefined,
  );

const isDirectory = (path: string): Promise<boolean> =>
  stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
