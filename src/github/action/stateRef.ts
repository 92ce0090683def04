/**
 * An issue's state on the remote (issue 48): the commit at `refs/orchestrator/state/<issue>` (not a
 * branch: no pull request shows it). Its tree holds the state's files (state.json, the runs'
 * journals); its parents are the runs' bases and the commits of their work on them, so one fetch
 * of depth 3 brings all a job needs into a depth-1 checkout. It is replaced with a lease (`git push
 * --force-with-lease=<ref>:<expected>`, `:` alone: must not exist yet): a push over a state another
 * job moved fails, and that job's state stands. The token reaches git only through its environment
 * (gitPush.ts), as for every push of the channel.
 */
import {
  commitWith,
  fetchRefspecs,
  hashText,
  makeTree,
  pushRefspecs,
  readText,
  refsUnder,
  remoteCommit,
  revParse,
  treePaths,
} from '../../core/engineBundle';
import { redactSecrets } from '../../core/text/secrets';
import { tokenEnvironment } from '../gitPush';

export const stateRefOf = (issue: number) => `refs/orchestrator/state/${issue}`;
const STATE_REFS = 'refs/orchestrator/state/';

/** Who writes the state commits (a runner has no git identity of its own). */
const IDENTITY = {
  GIT_AUTHOR_NAME: 'Orchestrator',
  GIT_AUTHOR_EMAIL: 'orchestrator@users.noreply.github.com',
  GIT_COMMITTER_NAME: 'Orchestrator',
  GIT_COMMITTER_EMAIL: 'orchestrator@users.noreply.github.com',
};

/** Another job moved the ref since it was read: this one's state is not the remote's any more. */
export class LeaseLost extends Error {
  constructor(readonly ref: string) {
    super(`another job moved ${ref} since this job read it`);
    this.name = 'LeaseLost';
  }
}

export class StateRemote {
  constructor(
    /** The checkout's top level (its .git). */
    private readonly repo: string,
    /** The remote's URL (origin's, https). */
    private readonly url: string,
    private readonly token: string,
  ) {}

  /** The token's environment: every git call of the state carries it, and only it. */
  private env(extra: Record<string, string> = {}): Record<string, string> {
    return { ...tokenEnvironment(this.token), ...extra };
  }

  private masked(error: unknown): Error {
    return new Error(redactSecrets((error as Error).message, [this.token]).text);
  }

  /** The issue's state commit, fetched with its work (depth 3); undefined when the issue has none yet. */
  async fetch(issue: number): Promise<string | undefined> {
    const ref = stateRefOf(issue);
    try {
      await fetchRefspecs(this.repo, this.url, [`+${ref}:${ref}`], { env: this.env(), noFetchHead: true, depth: 3 });
    } catch (error) {
      if (/couldn't find remote ref/i.test((error as Error).message)) return undefined;
      throw this.masked(error);
    }
    return revParse(this.repo, `${ref}^{commit}`, this.env());
  }

  /** Every issue's state commit (their files only, depth 1): `workflow_dispatch` looks for a spec among them. */
  async fetchAll(): Promise<Map<number, string>> {
    try {
      await fetchRefspecs(this.repo, this.url, [`+${STATE_REFS}*:${STATE_REFS}*`], {
        env: this.env(),
        noFetchHead: true,
        depth: 1,
      });
    } catch (error) {
      // No state ref at all: git says the refspec matched nothing.
      if (/couldn't find remote ref|no matching/i.test((error as Error).message)) return new Map();
      throw this.masked(error);
    }
    const refs = await refsUnder(this.repo, STATE_REFS, this.env());
    return new Map(
      refs
        .filter(({ ref }) => /^\d+$/.test(ref.slice(STATE_REFS.length)))
        .map(({ ref, commit }) => [Number(ref.slice(STATE_REFS.length)), commit]),
    );
  }

  /** What the remote's ref names now (no fetch); undefined when it has none. */
  async remoteValue(ref: string): Promise<string | undefined> {
    return remoteCommit(this.repo, this.url, ref, this.env()).catch((error: unknown) => {
      throw this.masked(error);
    });
  }

  /** The files of a state commit's tree (paths to text). */
  async read(commit: string): Promise<Map<string, string>> {
    const paths = (await treePaths(this.repo, commit, { env: this.env() })).filter(Boolean);
    const files = new Map<string, string>();
    for (const path of paths) files.set(path, await readText(this.repo, `${commit}:${path}`, this.env()));
    return files;
  }

  /** A state commit holding `files`, its parents the commits it keeps (the runs' work). */
  async write(files: ReadonlyMap<string, string>, parents: readonly string[], message: string): Promise<string> {
    const env = this.env(IDENTITY);
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
    const tree = await mktree(top);
    return commitWith(this.repo, tree, parents, message, env);
  }

  /**
   * `commit` pushed to the issue's ref while the remote still has `expected` there (undefined: none).
   * Throws LeaseLost when another job moved it; any other failure (the network) as itself.
   */
  async push(issue: number, commit: string, expected: string | undefined): Promise<void> {
    const ref = stateRefOf(issue);
    try {
      await pushRefspecs(this.repo, this.url, [`${commit}:${ref}`], {
        env: this.env(),
        noVerify: true,
        lease: `${ref}:${expected ?? ''}`,
      });
    } catch (error) {
      // Moved by another job (git's "stale info", or the server's refusal of our old value), or not reached at all.
      if ((await this.remoteValue(ref).catch(() => expected)) !== expected) throw new LeaseLost(ref);
      throw this.masked(error);
    }
  }
}
