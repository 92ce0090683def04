/**
 * Refs and the names git resolves, for every room that asks (the worktree runs, the pool, the
 * GitHub channel): what a name points at, moving or deleting a ref (with the value it must still
 * have), and where a folder sits in its repository. Through gitRunner, as every git call.
 */
import { gitAt } from './gitRunner';

type Env = Record<string, string>;

/** The object `rev` names (`rev-parse --verify`); rejects with git's words when it names none. */
export async function revParse(dir: string, rev: string, env: Env = {}): Promise<string> {
  return (await gitAt(dir, env).raw(['rev-parse', '--verify', rev])).trim();
}

/** The object `rev` names, or '' when it names none (`--quiet`). */
export async function revParseQuiet(dir: string, rev: string, env: Env = {}): Promise<string> {
  return (
    await gitAt(dir, env)
      .raw(['rev-parse', '--verify', '--quiet', rev])
      .catch(() => '')
  ).trim();
}

/** The top level of the work tree holding `dir`; rejects when there is none. */
export async function topLevelOf(dir: string): Promise<string> {
  return (await gitAt(dir).raw(['rev-parse', '--show-toplevel'])).trim();
}

/** `dir`'s path inside its repository, `/`-ended ('' at the top). */
export async function prefixOf(dir: string): Promise<string> {
  return (await gitAt(dir).raw(['rev-parse', '--show-prefix'])).trim();
}

/** Whether `dir`'s repository holds the commit. */
export function hasCommit(dir: string, commit: string): Promise<boolean> {
  return gitAt(dir)
    .raw(['cat-file', '-e', `${commit}^{commit}`])
    .then(
      () => true,
      () => false,
    );
}

/** Whether git takes `name` as a branch name. */
export function validBranchName(dir: string, name: string): Promise<boolean> {
  return gitAt(dir)
    .raw(['check-ref-format', '--branch', name])
    .then(
      () => true,
      () => false,
    );
}

export interface RefWrite {
  /** The reflog's words. */
  reason?: string;
  /** The value the ref must still have ('' : it must not exist); else it is replaced whatever it is. */
  old?: string;
  /** Extra GIT_* variables (the identity the reflog records). */
  env?: Env;
}

/** Points `ref` at `commit` (setRef batches the refs of runs starting together; this is one ref, now). */
export async function updateRef(dir: string, ref: string, commit: string, write: RefWrite = {}): Promise<void> {
  const reason = write.reason === undefined ? [] : ['-m', write.reason];
  await gitAt(dir, write.env).raw([
    'update-ref',
    ...reason,
    ref,
    commit,
    ...(write.old === undefined ? [] : [write.old]),
  ]);
}

/** Deletes `ref` (only while it still names `old`, when given). */
export async function deleteRef(dir: string, ref: string, old?: string): Promise<void> {
  await gitAt(dir).raw(['update-ref', '-d', ref, ...(old === undefined ? [] : [old])]);
}

/** The refs under `prefix` and the objects they name. */
export async function refsUnder(
  dir: string,
  prefix: string,
  env: Env = {},
): Promise<{ ref: string; commit: string }[]> {
  const lines = (await gitAt(dir, env).raw(['for-each-ref', '--format=%(refname) %(objectname)', prefix]))
    .split('\n')
    .filter(Boolean);
  return lines.map((line) => line.split(' ')).map(([ref, commit]) => ({ ref: ref!, commit: commit! }));
}
