/**
 * The git a host needs beside the engine's verbs, by purpose (dist/engine.js exports these, not
 * git's small calls): refs exchanged with a remote (the pool's refs, a pull request's branch), and
 * what a host asks of the checkout it works in. State kept on a ref is refState.ts; a run's place
 * (the pool's clone, an Action job's checkout) is the engine's RunPlace.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropExtraHeaders, fetchRefspecs, pushRefspecs, remoteCommit, remoteUrlOf } from './remotes';
import { deleteRef, hasCommit, prefixOf, revParse, topLevelOf, updateRef } from './refs';
import { gitUserName, treePaths } from './objects';
import { checkoutDetached } from './workTree';
import { addWorktree, linkFolders, removeWorktree } from './worktrees';
import { firstCommitOf, firstParentSubjects } from './history';

/** Refs fetched from and pushed to a remote (a URL, or a remote's name); credentials are the caller's `env`. */
export const remoteRefs = {
  /** The URL of the remote `name`; rejects when the repository has none of that name. */
  urlOf: remoteUrlOf,
  /** `refspecs` (as given: `+src:dst` forces) fetched, tags left out. */
  fetch: fetchRefspecs,
  /** `refspecs` (as given) pushed, with a lease when asked. */
  push: pushRefspecs,
  /** The commit `ref` names on the remote (no fetch); undefined when it has none. */
  commitOn: remoteCommit,
};

/** A checkout's files at `commit` under the folder `dir` (paths relative to it), whatever folder of the repository `dir` is. */
async function filesAt(dir: string, commit: string): Promise<string[]> {
  const prefix = await prefixOf(dir);
  const tree = await treePaths(dir, commit, { fullTree: true });
  return tree.filter((path) => path.startsWith(prefix)).map((path) => path.slice(prefix.length));
}

/**
 * A detached worktree of `commit` in a temporary folder (serve's merge group: the user's checkout
 * untouched), the checkout's `links` folders linked in; `dir` is the checkout's folder in it.
 */
async function worktreeAt(
  dir: string,
  commit: string,
  links: readonly string[],
): Promise<{ dir: string; remove(): Promise<void> }> {
  const topLevel = await topLevelOf(dir);
  const folder = await mkdtemp(join(tmpdir(), 'orchestrator-group-'));
  const path = join(folder, 'tree');
  await addWorktree(topLevel, path, commit);
  linkFolders(topLevel, path, links);
  return {
    dir: join(path, await prefixOf(dir)),
    async remove() {
      await removeWorktree(topLevel, path, folder).catch(() => undefined);
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** What a host asks of the checkout it works in (the user's, an Action job's). */
export const hostCheckout = {
  /** The top level of the work tree holding `dir`; rejects when there is none. */
  topLevel: topLevelOf,
  /** The commit `ref` names (`HEAD`, a branch); rejects with git's words when it names none. */
  commitOf: (dir: string, ref: string): Promise<string> => revParse(dir, `${ref}^{commit}`),
  /** Whether the repository holds the commit. */
  holds: hasCommit,
  filesAt,
  /** git's `user.name` ('' when none): the repository's at `dir` and above, or only the user's own (`global`). */
  userName: gitUserName,
  /** The work tree and HEAD moved to `commit`, detached (an Action job's checkout of a merge group's head). */
  checkoutDetached,
  worktreeAt,
  /** The oldest commit of `rev`'s first-parent line the checkout holds (where a scheduled sweep starts). */
  firstCommitOf,
  /** The commits after `from` up to `to`, oldest first, with their subjects (a merge group's pull requests, one commit each). */
  subjects: firstParentSubjects,
  /** Every `http.<url>.extraheader` of the repository's own config (a persisted token) removed; the keys removed. */
  forgetCredentials: dropExtraHeaders,
  /** `ref` pointed at `commit` (only while it still names `old`, when given). */
  moveRef: (dir: string, ref: string, commit: string, old?: string): Promise<void> =>
    updateRef(dir, ref, commit, old === undefined ? {} : { old }),
  /** `ref` deleted (a merge group's fetched head, once proven). */
  dropRef: (dir: string, ref: string): Promise<void> => deleteRef(dir, ref),
};
