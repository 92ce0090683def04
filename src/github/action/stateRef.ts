/**
 * An issue's state on the remote (issue 48): the commit at `refs/orchestrator/state/<issue>` (not a
 * branch: no pull request shows it). Its tree holds the state's files (state.json, the runs'
 * journals); its parents are the runs' bases and the commits of their work on them, so one fetch
 * of depth 3 brings all a job needs into a depth-1 checkout. It is replaced with a lease (`git push
 * --force-with-lease=<ref>:<expected>`, `:` alone: must not exist yet): a push over a state another
 * job moved fails, and that job's state stands. Its git is the engine's state kept on a ref
 * (RefState); the token reaches git only through its environment (gitPush.ts), as for every push of
 * the channel.
 */
import { RefState } from '../../core/engineBundle';
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
  /** The state's ref of the remote, the token's environment carried by every git call of the state, and only by them. */
  private readonly refs: RefState;

  constructor(
    /** The checkout's top level (its .git). */
    repo: string,
    /** The remote's URL (origin's, https). */
    url: string,
    private readonly token: string,
  ) {
    this.refs = new RefState(repo, url, tokenEnvironment(token));
  }

  private masked(error: unknown): Error {
    return new Error(redactSecrets((error as Error).message, [this.token]).text);
  }

  /** The issue's state commit, fetched with its work (depth 3); undefined when the issue has none yet. */
  async fetch(issue: number): Promise<string | undefined> {
    try {
      return await this.refs.fetch(stateRefOf(issue), 3);
    } catch (error) {
      if (/couldn't find remote ref/i.test((error as Error).message)) return undefined;
      throw this.masked(error);
    }
  }

  /** Every issue's state commit (their files only, depth 1): `workflow_dispatch` looks for a spec among them. */
  async fetchAll(): Promise<Map<number, string>> {
    let refs: { ref: string; commit: string }[];
    try {
      refs = await this.refs.fetchAll(STATE_REFS);
    } catch (error) {
      // No state ref at all: git says the refspec matched nothing.
      if (/couldn't find remote ref|no matching/i.test((error as Error).message)) return new Map();
      throw this.masked(error);
    }
    return new Map(
      refs
        .filter(({ ref }) => /^\d+$/.test(ref.slice(STATE_REFS.length)))
        .map(({ ref, commit }) => [Number(ref.slice(STATE_REFS.length)), commit]),
    );
  }

  /** What the remote's ref names now (no fetch); undefined when it has none. */
  async remoteValue(ref: string): Promise<string | undefined> {
    return this.refs.remoteValue(ref).catch((error: unknown) => {
      throw this.masked(error);
    });
  }

  /** The files of a state commit's tree (paths to text). */
  read(commit: string): Promise<Map<string, string>> {
    return this.refs.read(commit);
  }

  /** A state commit holding `files`, its parents the commits it keeps (the runs' work). */
  write(files: ReadonlyMap<string, string>, parents: readonly string[], message: string): Promise<string> {
    return this.refs.write(files, parents, message, IDENTITY);
  }

  /**
   * `commit` pushed to the issue's ref while the remote still has `expected` there (undefined: none).
   * Throws LeaseLost when another job moved it; any other failure (the network) as itself.
   */
  async push(issue: number, commit: string, expected: string | undefined): Promise<void> {
    const ref = stateRefOf(issue);
    try {
      await this.refs.push(ref, commit, expected);
    } catch (error) {
      // Moved by another job (git's "stale info", or the server's refusal of our old value), or not reached at all.
      if ((await this.remoteValue(ref).catch(() => expected)) !== expected) throw new LeaseLost(ref);
      throw this.masked(error);
    }
  }
}
