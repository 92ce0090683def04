/**
 * Objects written and read outright (the GitHub Action's state commits, a completion record's
 * commit, the demo's first commit): blobs, trees and commits by their ids, a tree's file list.
 * The work tree as a tree is worktreeTree.ts; commits in the orchestrator's name, worktreeRefs.ts.
 */
import { gitAt } from './gitRunner';

type Env = Record<string, string>;

/** The paths of `commit`'s files, repository-relative (`fullTree`: whatever folder `dir` is). */
export async function treePaths(
  dir: string,
  commit: string,
  options: { fullTree?: boolean; env?: Env } = {},
): Promise<string[]> {
  const out = await gitAt(dir, options.env).raw([
    'ls-tree',
    '-r',
    '-z',
    '--name-only',
    ...(options.fullTree ? ['--full-tree'] : []),
    commit,
  ]);
  return out.split('\0');
}

/** The size of a tree's files in bytes (`ls-tree -r -l`); undefined when git cannot list it. */
export async function treeBytes(dir: string, tree: string): Promise<number | undefined> {
  const listed = await gitAt(dir)
    .raw(['ls-tree', '-r', '-l', '-z', tree])
    .catch(() => undefined);
  if (listed === undefined) return undefined;
  let bytes = 0;
  for (const entry of listed.split('\0')) {
    const size = /^\d+ blob \w+\s+(\d+)\t/.exec(entry)?.[1];
    if (size) bytes += Number(size);
  }
  return bytes;
}

/** A file of a commit (`<commit>:<path>`) as text. */
export async function readText(dir: string, spec: string, env: Env = {}): Promise<string> {
  return (await gitAt(dir, env).binaryCatFile(['blob', spec])).toString('utf8');
}

/** `text` stored as a blob; its id. */
export async function hashText(dir: string, text: string, env: Env = {}): Promise<string> {
  return (await gitAt(dir, env).bytes(['hash-object', '-w', '--stdin'], Buffer.from(text, 'utf8')))
    .toString('utf8')
    .trim();
}

/** A tree of these `mktree` lines (`<mode> <type> <id>\t<name>`); its id. */
export async function makeTree(dir: string, lines: readonly string[], env: Env = {}): Promise<string> {
  return (await gitAt(dir, env).bytes(['mktree', '-z'], Buffer.from(lines.map((l) => `${l}\0`).join(''), 'utf8')))
    .toString('utf8')
    .trim();
}

/** A commit of `tree` with these parents, in the name `env` gives (GIT_AUTHOR_*, GIT_COMMITTER_*); its id. */
export async function commitWith(
  dir: string,
  tree: string,
  parents: readonly string[],
  message: string,
  env: Env,
): Promise<string> {
  return (
    await gitAt(dir, env).raw(['commit-tree', tree, ...[...new Set(parents)].flatMap((p) => ['-p', p]), '-m', message])
  ).trim();
}

/** A new repository at `folder` (branch `main`) whose first commit holds every file there, in the name `env` gives. */
export async function initWithEverything(folder: string, message: string, env: Env): Promise<void> {
  const git = gitAt(folder, env);
  await git.raw(['init', '-q', '-b', 'main']);
  await git.raw(['add', '-A']);
  await git.raw(['commit', '-q', '-m', message]);
}

/** git's `user.name` ('' when none is set, or no git): the repository's at `dir` and above, or only the user's own (`global`). */
export async function gitUserName(dir: string, global = false): Promise<string> {
  return (
    await gitAt(dir)
      .raw(['config', ...(global ? ['--global'] : []), 'user.name'])
      .catch(() => '')
  ).trim();
}
