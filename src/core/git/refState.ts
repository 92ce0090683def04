/**
 * State kept on a ref of a remote (the GitHub Action's issue state, issue 48): a commit whose tree
 * holds a few text files (one folder deep at most) and whose parents are the commits it keeps,
 * fetched shallow, read, written and pushed with a lease (`--force-with-lease=<ref>:<expected>`,
 * `:` alone: must not exist yet). Credentials are the caller's `env`, carried by every call and
 * only by them; what a ref means (an issue's state) and who may move it is the caller's.
 */
import { commitWith, hashText, makeTree, readText, treePaths } from './objects';
import { refsUnder, revParse } from './refs';
import { fetchRefspecs, pushRefspecs, remoteCommit } from './remotes';

type Env = Record<string, string>;

export class RefState {
  constructor(
    /** The repository the state commits are fetched into and written in (a checkout's top level). */
    private readonly repo: string,
    /** The remote's URL. */
    private readonly url: string,
    /** The credentials' environment every call carries. */
    private readonly env: Env,
  ) {}

  /** `ref`'s commit fetched with `depth` commits of history; rejects with git's words when the remote has no such ref. */
  async fetch(ref: string, depth: number): Promise<string> {
    await fetchRefspecs(this.repo, this.url, [`+${ref}:${ref}`], { env: this.env, noFetchHead: true, depth });
    return revParse(this.repo, `${ref}^{commit}`, this.env);
  }

  /** Every ref under `prefix` (`/`-ended) fetched at depth 1, with its commit; rejects when the remote has none. */
  async fetchAll(prefix: string): Promise<{ ref: string; commit: string }[]> {
    await fetchRefspecs(this.repo, this.url, [`+${prefix}*:${prefix}*`], {
      env: this.env,
      noFetchHead: true,
      depth: 1,
    });
    return refsUnder(this.repo, prefix, this.env);
  }

  /** What the remote's ref names now (no fetch); undefined when it has none. */
  remoteValue(ref: string): Promise<string | undefined> {
    return remoteCommit(this.repo, this.url, ref, this.env);
  }

  /** The files of a state commit's tree (paths to text). */
  async read(commit: string): Promise<Map<string, string>> {
    const paths = (await treePaths(this.repo, commit, { env: this.env })).filter(Boolean);
    const files = new Map<string, string>();
    for (const path of paths) files.set(path, await readText(this.repo, `${commit}:${path}`, this.env));
    return files;
  }

  /** A state commit holding `files`, its parents the commits it keeps, in the name `identity` gives (GIT_AUTHOR_*, GIT_COMMITTER_*). */
  async write(
    files: ReadonlyMap<string, string>,
    parents: readonly string[],
    message: string,
    identity: Env,
  ): Promise<string> {
    const env = { ...this.env, ...identity };
    const entries = new Map<string, Map<string, string>>();
    for (const [path, text] of files) {
      const blob = await hashText(this.repo, text, env);
      const slash = path.lastIndexOf('/');
      const [dir, name] = slash < 0 ? ['', path] : [path.slice(0, slash), path.slice(slash + 1)];
      if (dir.includes('/') || !name) throw new Error(`a state file is one folder deep at most: ${path}`);
      entries.set(dir, (entries.get(dir) ?? new Map()).set(name, blob));
    }
    const mktree = (lines: string[]) => makeTree(this.repo, lines, env);
    const top = [...(entries.get('') ?? new Map<string, string>())].map(
      ([name, blob]) => `100644 blob ${blob}\t${name}`,
    );
    for (const [dir, blobs] of entries) {
      if (dir === '') continue;
      top.push(`040000 tree ${await mktree([...blobs].map(([name, blob]) => `100644 blob ${blob}\t${name}`))}\t${dir}`);
    }
    return commitWith(this.repo, await mktree(top), parents, message, env);
  }

  /** `commit` pushed to `ref` while the remote still has `expected` there (undefined: none); rejects with git's words otherwise. */
  async push(ref: string, commit: string, expected: string | undefined): Promise<void> {
    await pushRefspecs(this.repo, this.url, [`${commit}:${ref}`], {
      env: this.env,
      noVerify: true,
      lease: `${ref}:${expected ?? ''}`,
    });
  }
}
