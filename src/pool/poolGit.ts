/**
 * The git side of the pool: the refs a pooled run keeps on the team's remote (its base, its work
 * in progress, its checkpoint, its result branch), fetched into a worker's clone (made by the
 * engine's `pooled` run place) or a checkout and pushed, by the engine's git (no hooks, no ambient
 * GIT_* variables). Credentials for the
 * remote come from the worker's environment (an SSH agent, a credential helper), never the database.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { hostCheckout, remoteRefs } from '../core/engineBundle';

/** Whether `repo` holds the commit. */
export function hasCommit(repo: string, commit: string): Promise<boolean> {
  return hostCheckout.holds(repo, commit);
}

/** Fetches exactly these refs from origin under the same names (each must exist there). */
export async function fetchRefs(clone: string, refs: readonly string[]): Promise<void> {
  if (refs.length === 0) return;
  await remoteRefs.fetch(
    clone,
    'origin',
    refs.map((ref) => `+${ref}:${ref}`),
  );
}

/** Fetches `source:destination` refspecs from a remote URL into `repo` (forced: they are our private refs). */
export async function fetchFrom(repo: string, remote: string, refspecs: readonly string[]): Promise<void> {
  await remoteRefs.fetch(
    repo,
    remote,
    refspecs.map((spec) => `+${spec}`),
  );
}

/** Pushes `commit` to `ref` on `remote`, replacing what is there (our private refs). */
export async function pushRef(repo: string, remote: string, commit: string, ref: string): Promise<void> {
  await pushRefs(repo, remote, [{ commit, ref }]);
}

/** Several of our private refs in one push (one git process, one connection to the remote), each replacing what is there. */
export async function pushRefs(
  repo: string,
  remote: string,
  refs: readonly { commit: string; ref: string }[],
): Promise<void> {
  if (refs.length === 0) return;
  await remoteRefs.push(
    repo,
    remote,
    refs.map(({ commit, ref }) => `+${commit}:${ref}`),
  );
}

/**
 * The result branch `orchestrator/<slug>` on the remote, never replacing someone's branch:
 * `-2`, `-3`… when the name is taken by another commit. `along` (our private refs, forced) go in
 * the same push as the first try; at most `names` names are tried. Returns the branch pushed.
 */
export async function pushResultBranch(
  repo: string,
  remote: string,
  commit: string,
  slug: string,
  along: readonly { commit: string; ref: string }[] = [],
  names = 50,
): Promise<string> {
  for (let n = 1; ; n++) {
    const branch = `orchestrator/${slug}${n === 1 ? '' : `-${n}`}`;
    const forced = n === 1 ? along.map((spec) => `+${spec.commit}:${spec.ref}`) : [];
    try {
      await remoteRefs.push(repo, remote, [...forced, `${commit}:refs/heads/${branch}`]);
      return branch;
    } catch (error) {
      // Pushes are not atomic: the forced refs went unless the remote itself failed; then this throws below.
      if (forced.length > 0) await pushRefs(repo, remote, along);
      const there = await remoteCommit(repo, remote, `refs/heads/${branch}`);
      if (there === commit) return branch;
      if (there === undefined || n >= names) throw error;
    }
  }
}

/** The commit a ref names on the remote, undefined when it has none. */
export async function remoteCommit(repo: string, remote: string, ref: string): Promise<string | undefined> {
  return remoteRefs.commitOn(repo, remote, ref);
}

/** The URL of a remote of `repo` (`origin` by default), or the value itself when it is already a URL or path. */
export async function remoteUrl(repo: string, remote: string | undefined): Promise<string> {
  const name = remote ?? 'origin';
  if (/[/:\\]/.test(name)) return name;
  try {
    return await remoteRefs.urlOf(repo, name);
  } catch {
    throw new Error(
      remote
        ? `pool.remote: ${repo} has no git remote "${remote}"`
        : `the pool needs the repository's git remote: ${repo} has no "origin" (set pool.remote)`,
    );
  }
}

/**
 * One name for one repository whatever the spelling: `git@host:team/app.git`,
 * `https://host/team/app` and `ssh://git@host/team/app.git` are the same; a local path is its real path.
 */
export function remoteKey(remote: string): string {
  const scp = /^([\w.-]+@)?([\w.-]+):(?!\/\/)(.+)$/.exec(remote);
  if (scp && !/^[A-Za-z]:[\\/]/.test(remote)) return `${scp[2]!.toLowerCase()}/${trimRepo(scp[3]!)}`;
  try {
    const url = new URL(remote);
    if (url.protocol !== 'file:')
      return `${url.hostname.toLowerCase()}${url.port ? `:${url.port}` : ''}/${trimRepo(url.pathname)}`;
    return realpathOr(url.pathname);
  } catch {
    return realpathOr(resolve(remote));
  }
}

function trimRepo(path: string): string {
  return path
    .replace(/^\/+/, '')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path)
      .replace(/\/+$/, '')
      .replace(/\.git$/, '');
  } catch {
    return path.replace(/\/+$/, '').replace(/\.git$/, '');
  }
}

export async function headCommit(repo: string): Promise<string> {
  return hostCheckout.commitOf(repo, 'HEAD');
}

export async function topLevelOf(dir: string): Promise<string> {
  return hostCheckout.topLevel(dir);
}
