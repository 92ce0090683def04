/**
 * Remotes: their URLs, clones, fetches and pushes of named refspecs, what a remote's ref names.
 * Credentials are the caller's `env` (the GitHub channel's token header, gitPush.ts), never an
 * argument; hooks and ambient GIT_* variables are off as for every git call (gitRunner).
 */
import { dirname } from 'node:path';
import { gitAt } from './gitRunner';

type Env = Record<string, string>;

/** The URL of the remote `name`; rejects when `dir`'s repository has none of that name. */
export async function remoteUrlOf(dir: string, name: string): Promise<string> {
  return (await gitAt(dir).raw(['remote', 'get-url', name])).trim();
}

export async function setRemoteUrl(dir: string, name: string, url: string): Promise<void> {
  await gitAt(dir).raw(['remote', 'set-url', name, url]);
}

/** A bare clone of `remote` at `dir` (its parent folder must exist). */
export async function cloneBare(remote: string, dir: string): Promise<void> {
  await gitAt(dirname(dir)).raw(['clone', '--bare', '--quiet', remote, dir]);
}

export interface FetchOptions {
  env?: Env;
  /** No FETCH_HEAD written (a checkout another process reads). */
  noFetchHead?: boolean;
  /** A shallow fetch of this many commits. */
  depth?: number;
}

/** Fetches `refspecs` (as given: `+src:dst` forces) from `remote`, tags left out. */
export async function fetchRefspecs(
  dir: string,
  remote: string,
  refspecs: readonly string[],
  options: FetchOptions = {},
): Promise<void> {
  const flags = [
    ...(options.noFetchHead ? ['--no-write-fetch-head'] : []),
    ...(options.depth === undefined ? [] : [`--depth=${options.depth}`]),
  ];
  await gitAt(dir, options.env).raw(['fetch', '--quiet', '--no-tags', ...flags, remote, ...refspecs]);
}

export interface PushOptions {
  env?: Env;
  /** No pre-push hook, whatever the configuration (hooks are off already; said outright where a token goes). */
  noVerify?: boolean;
  /** `--force-with-lease=<lease>`: pushed only while the remote's ref has the value expected. */
  lease?: string;
}

/** Pushes `refspecs` (as given) to `remote`. */
export async function pushRefspecs(
  dir: string,
  remote: string,
  refspecs: readonly string[],
  options: PushOptions = {},
): Promise<void> {
  const flags = [
    ...(options.noVerify ? ['--no-verify'] : []),
    ...(options.lease === undefined ? [] : [`--force-with-lease=${options.lease}`]),
  ];
  await gitAt(dir, options.env).raw(['push', '--quiet', ...flags, remote, ...refspecs]);
}

/** The commit `ref` names on `remote` (`ls-remote`, no fetch); undefined when it has none. */
export async function remoteCommit(
  dir: string,
  remote: string,
  ref: string,
  env: Env = {},
): Promise<string | undefined> {
  const out = await gitAt(dir, env).raw(['ls-remote', remote, ref]);
  return out
    .split('\n')
    .map((line) => line.split('\t'))
    .find(([, name]) => name === ref)?.[0];
}

/** Removes every `http.<url>.extraheader` of the repository's own config (a token kept there); returns the keys removed. */
export async function dropExtraHeaders(dir: string): Promise<string[]> {
  const git = gitAt(dir);
  const keys = (
    await git.raw(['config', '--local', '--name-only', '--get-regexp', '^http\\..*\\.extraheader$']).catch(() => '')
  )
    .split('\n')
    .filter(Boolean);
  for (const key of new Set(keys)) await git.raw(['config', '--local', '--unset-all', key]);
  return keys;
}
