/**
 * An issue's state on the remote (issue 48): the commit at `refs/orchestrator/state/<issue>` (not a
 * branch: no pull request shows it). Its tree holds the state's files (state.json, the runs'
 * journals); its parents are the runs' bases and the commits of their work on them, so one fetch
 * of depth 3 brings all a job needs into a depth-1 checkout. It is replaced with a lease (`git push
 * --force-with-lease=<ref>:<expected>`, `:` alone: must not exist yet): a push over a state another
 * job moved fails, and that job's state stands. The token reaches git only through its environment
 * (gitPush.ts), as for every push of the channel.
 */
import { gitAt } from '../../core/engineBundle';
import { redactSecrets } from '../../core/text/secrets';
import { tokenEnvironment } from '../gitPush';

export const stateRefOf = (issue: number) => `refs/orchestrator/state/${issue}`;
const STATE_REFS = 'refs/orchestrator/state/';

/** Who writes the state commits (a runner has no git identity of its own). */
const IDENTITY = { GIT_AUTHOR_NAME: 'Orchestrator', GIT_AUTHOR_EMAIL: 'orchestrator@users.noreply.github.com', GIT_COMMITTER_NAME: 'Orchestrator', GIT_COMMITTER_EMAIL: 'orchestrator@users.noreply.github.com' };

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

  private git(extra: Record<string, string> = {}) {
    return gitAt(this.repo, { ...tokenEnvironment(this.token), ...extra });
  }

  private masked(error: unknown): Error {
    return new Error(redactSecrets((error as Error).message, [this.token]).text);
  }

  /** The issue's state commit, fetched with its work (depth 3); undefined when the issue has none yet. */
  async fetch(issue: number): Promise<string | undefined> {
    const ref = stateRefOf(issue);
    try {
      await this.git().raw(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--depth=3', this.url, `+${ref}:${ref}`]);
    } catch (error) {
      if (/couldn't find remote ref/i.test((error as Error).message)) return undefined;
      throw this.masked(error);
    }
    return (await this.git().raw(['rev-parse', '--verify', `${ref}^{commit}`])).trim();
  }

  /** Every issue's state commit (their files only, depth 1): `workflow_dispatch` looks for a spec among them. */
  async fetchAll(): Promise<Map<number, string>> {
    try {
      await this.git().raw(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--depth=1', this.url, `+${STATE_REFS}*:${STATE_REFS}*`]);
    } catch (error) {
      // No state ref at all: git says the refspec matched nothing.
      if (/couldn't find remote ref|no matching/i.test((error as Error).message)) return new Map();
      throw this.masked(error);
    }
    const lines = (await this.git().raw(['for-each-ref', '--format=%(refname) %(objectname)', STATE_REFS])).split('\n').filter(Boolean);
    return new Map(lines.map((line) => line.split(' ')).filter(([ref]) => /^\d+$/.test(ref!.slice(STATE_REFS.length))).map(([ref, commit]) => [Number(ref!.slice(STATE_REFS.length)), commit!]));
  }

  /** What the remote's ref names now (no fetch); undefined when it has none. */
  async remoteValue(ref: string): Promise<string | undefined> {
    const out = await this.git().raw(['ls-remote', this.url, ref]).catch((error: unknown) => {
      throw this.masked(error);
    });
    return out.split('\n').map((line) => line.split('\t')).find(([, name]) => name === ref)?.[0];
  }

  /** The files of a state commit's tree (paths to text). */
  async read(commit: string): Promise<Map<string, string>> {
    const git = this.git();
    const paths = (await git.raw(['ls-tree', '-r', '-z', '--name-only', commit])).split('\0').filter(Boolean);
    const files = new Map<string, string>();
    for (const path of paths) files.set(path, (await git.binaryCatFile(['blob', `${commit}:${path}`])).toString('utf8'));
    return files;
  }

  /** A state commit holding `files`, its parents the commits it keeps (the runs' work). */
  async write(files: ReadonlyMap<string, string>, parents: readonly string[], message: string): Promise<string> {
    const git = this.git(IDENTITY);
    const entries = new Map<string, Map<string, string>>();
    for (const [path, text] of files) {
      const blob = (await git.bytes(['hash-object', '-w', '--stdin'], Buffer.from(text, 'utf8'))).toString('utf8').trim();
      const slash = path.lastIndexOf('/');
      const [dir, name] = slash < 0 ? ['', path] : [path.slice(0, slash), path.slice(slash + 1)];
      if (dir.includes('/') || !name) throw new Error(`a state file is one folder deep at most: ${path}`);
      entries.set(dir, (entries.get(dir) ?? new Map()).set(name, blob));
    }
    const mktree = async (lines: string[]) => (await git.bytes(['mktree', '-z'], Buffer.from(lines.map((l) => `${l}\0`).join(''), 'utf8'))).toString('utf8').trim();
    const top = [...(entries.get('') ?? new Map<string, string>())].map(([name, blob]) => `100644 blob ${blob}\t${name}`);
    for (const [dir, blobs] of entries) {
      if (dir === '') continue;
      top.push(`040000 tree ${await mktree([...blobs].map(([name, blob]) => `100644 blob ${blob}\t${name}`))}\t${dir}`);
    }
    const tree = await mktree(top);
    return (await git.raw(['commit-tree', tree, ...[...new Set(parents)].flatMap((p) => ['-p', p]), '-m', message])).trim();
  }

  /**
   * `commit` pushed to the issue's ref while the remote still has `expected` there (undefined: none).
   * Throws LeaseLost when another job moved it; any other failure (the network) as itself.
   */
  async push(issue: number, commit: string, expected: string | undefined): Promise<void> {
    const ref = stateRefOf(issue);
    try {
      await this.git().raw(['push', '--quiet', '--no-verify', `--force-with-lease=${ref}:${expected ?? ''}`, this.url, `${commit}:${ref}`]);
    } catch (error) {
      // Moved by another job (git's "stale info", or the server's refusal of our old value), or not reached at all.
      if ((await this.remoteValue(ref).catch(() => expected)) !== expected) throw new LeaseLost(ref);
      throw this.masked(error);
    }
  }
}
