/**
 * git's record of a new worktree, written here rather than by `git worktree add` (issue 63): the
 * add took two git processes (the add and the `update-ref HEAD` it starts) a worktree, and had to
 * go one at a time (git reads every worktree's admin folder while it adds one, and failed on one
 * half-written). The record is the layout git documents (gitrepository-layout: `worktrees/<id>/`
 * with `gitdir`, `commondir`, `HEAD`; the worktree's `.git` file naming it), made in a folder of
 * its own and renamed into `worktrees/` whole, so no git process ever sees it half-made. A
 * repository whose worktrees get more than that from git (sparse checkouts, per-worktree
 * configuration) is left to `git worktree add`: `recordWorktree` answers undefined.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * Records `path` as a worktree of the repository at `topLevel`, detached at `commit` (an object id),
 * its files not checked out; returns its admin folder. Undefined, with nothing written, where
 * `git worktree add` must do it.
 */
export function recordWorktree(topLevel: string, path: string, commit: string): string | undefined {
  const common = plainCommonDir(topLevel);
  if (common === undefined || !OBJECT_ID.test(commit)) return undefined;
  // As git: the folder may exist only empty.
  if (existsSync(path) && readdirSync(path).length > 0) throw new Error(`fatal: '${path}' already exists`);
  mkdirSync(path, { recursive: true });
  const dotGit = join(realpathSync(path), '.git');
  const worktrees = join(common, 'worktrees');
  // As written in the record: through the common folder's real path (`worktrees` may not exist yet).
  const recorded = join(realpathSync(common), 'worktrees');
  const made = mkdtempSync(join(common, 'orchestrator-worktree-'));
  try {
    writeFileSync(join(made, 'gitdir'), `${slashed(dotGit)}\n`);
    writeFileSync(join(made, 'commondir'), '../..\n');
    writeFileSync(join(made, 'HEAD'), `${commit}\n`);
    const name = basename(dotGit.slice(0, -'.git'.length - 1)).replace(/[^A-Za-z0-9._-]/g, '-') || 'worktree';
    for (let n = 0, pruned = 0; ; n++) {
      // Made again each time: another process's `git worktree remove`/`prune` deletes it once empty.
      mkdirSync(worktrees, { recursive: true });
      const id = join(worktrees, n === 0 ? name : `${name}${n}`);
      if (existsSync(id)) {
        // git refuses a path it still has a record of (its folder gone, not pruned yet).
        if (readText(join(id, 'gitdir')) === slashed(dotGit)) {
          throw new Error(`fatal: '${path}' is a missing but already registered worktree`);
        }
        continue;
      }
      writeFileSync(dotGit, `gitdir: ${slashed(recorded)}/${basename(id)}\n`);
      try {
        renameSync(made, id);
        return id;
      } catch (error) {
        // Taken meanwhile by another process's add: the next name. The folder pruned meanwhile: again.
        if (existsSync(id)) continue;
        if (!existsSync(worktrees) && pruned++ < 5) {
          n--;
          continue;
        }
        throw error;
      }
    }
  } catch (error) {
    rmSync(made, { recursive: true, force: true });
    rmSync(dotGit, { force: true });
    throw error;
  }
}

/**
 * The repository's own git folder when it is a plain one: `<topLevel>/.git`, or `topLevel` itself
 * for a bare clone (a pool worker's). Undefined for a `.git` file (a submodule, a worktree of
 * another checkout) and where git's add copies more than the record: a sparse checkout's patterns,
 * per-worktree configuration.
 */
function plainCommonDir(topLevel: string): string | undefined {
  const dotGit = join(topLevel, '.git');
  const bare = !existsSync(dotGit) && isDirectory(join(topLevel, 'objects')) && existsSync(join(topLevel, 'HEAD'));
  const dir = isDirectory(dotGit) ? dotGit : bare ? topLevel : undefined;
  if (dir === undefined || existsSync(join(dir, 'commondir'))) return undefined;
  if (existsSync(join(dir, 'info', 'sparse-checkout')) || existsSync(join(dir, 'config.worktree'))) return undefined;
  return dir;
}

const slashed = (path: string): string => (process.platform === 'win32' ? path.replace(/\\/g, '/') : path);

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
