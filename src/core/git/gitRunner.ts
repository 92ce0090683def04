import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { helperWanted, spawnThroughHelper } from '../process';
import { sharedCall } from './sharedCall';

/**
 * Our git calls run git itself (plumbing: add, write-tree, commit-tree, update-ref, diff …)
 * with arguments we build, never through a shell. We used simple-git for this; it waits an
 * extra 50 ms after every command that prints nothing (most plumbing), which cost a feature
 * run about a second of its wall time over some twenty such calls on its critical path.
 *
 * Ambient GIT_* variables (and editors, pagers) never reach git: the base environment drops
 * them, and only our own GIT_* variables are added (temp index, identity).
 */
const GUARDED_PLAIN_KEYS = new Set(['editor', 'pager', 'prefix', 'ssh_askpass', 'visual']);

function unguardedProcessEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    const lower = key.toLowerCase();
    if (value === undefined || lower.startsWith('git') || GUARDED_PLAIN_KEYS.has(lower)) continue;
    env[key] = value;
  }
  return env;
}

/**
 * Nothing from the repository executes during our git calls: no fsmonitor hook (a program
 * named in .git/config), no hooks (update-ref runs reference-transaction), no program named
 * for ssh (`core.sshCommand`: plain `ssh`, which still reads the user's own ~/.ssh/config), no
 * `ext::` remote (a shell command as a URL), no signing program, and — for the calls that
 * read the work tree — no clean/smudge/process filters (worktreeGit). An agent, or anything
 * that could write a repository's config, cannot make our next git call run its program.
 * The repository's own configuration is left as it is: these hold for our calls only.
 */
const NO_HOOKS = process.platform === 'win32' ? 'NUL' : '/dev/null';
export const SAFE_CONFIG: readonly string[] = [
  'core.fsmonitor=false',
  `core.hooksPath=${NO_HOOKS}`,
  'core.sshCommand=ssh',
  'protocol.ext.allow=never',
  'commit.gpgSign=false',
  'tag.gpgSign=false',
];

/**
 * A checkout's files written by git's parallel workers, one a core and no more than eight (git
 * uses them from 100 files on; a small project's checkout is unchanged). Where the file system
 * is slow to make files (ext4 without a journal, inodes freed minutes ago: issue 63), a run's
 * worktree of 20,010 files took a quarter to a half of the time one writer took.
 */
const CHECKOUT_WORKERS = `checkout.workers=${Math.min(availableParallelism(), 8)}`;

/** git in one folder, with our settings. */
export interface Git {
  /** git's standard output; rejects with a GitCommandError when git exits non-zero. */
  raw(args: readonly string[]): Promise<string>;
  /** An object's exact bytes: `binaryCatFile(['blob', oid])`. */
  binaryCatFile(args: readonly string[]): Promise<Buffer>;
  /** git's standard output as bytes, with `input` on its standard input (a pack between two repositories). */
  bytes(args: readonly string[], input?: Buffer): Promise<Buffer>;
}

/** git failed: its exit code and what it said on stderr (the message). */
export class GitCommandError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    stderr: string,
  ) {
    super(stderr || `git ${command} exited with ${exitCode ?? 'a signal'}`);
    this.name = 'GitCommandError';
  }
}

/** git rooted at `dir`, optionally with extra GIT_* variables (temp index, identity) and `-c` settings. */
export function gitAt(dir: string, extraEnv: Record<string, string> = {}, extraConfig: readonly string[] = []): Git {
  const config = [...SAFE_CONFIG, CHECKOUT_WORKERS, ...extraConfig].flatMap((entry) => ['-c', entry]);
  const env = { ...unguardedProcessEnv(), ...extraEnv };
  const run = (args: readonly string[], input?: Buffer) => runGit(dir, config, args, env, input);
  return {
    raw: async (args) => (await run(args)).toString('utf8'),
    binaryCatFile: (args) => run(['cat-file', ...args]),
    bytes: run,
  };
}

function runGit(
  cwd: string,
  config: readonly string[],
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  input?: Buffer,
): Promise<Buffer> {
  // A large process forks slowly (spawner.ts): its git calls are started by a small helper.
  if (helperWanted()) {
    return spawnThroughHelper('git', [...config, ...args], cwd, env, input).then(({ code, stdout, stderr }) => {
      if (code === 0) return stdout;
      throw new GitCommandError(args[0] ?? '', code, stderr.toString('utf8').trim());
    });
  }
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...config, ...args], {
      cwd,
      env,
      stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    if (input) {
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(input);
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new GitCommandError(args[0] ?? '', code, Buffer.concat(err).toString('utf8').trim()));
    });
  });
}

export interface GitSpawnResult {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * One git call with bytes on stdin and its exit code, for what `raw` does not express:
 * `hash-object --stdin` of exact bytes, and `merge-file`, whose exit code counts conflicts.
 * Same safety as gitAt: no hooks, no fsmonitor, no ambient GIT_* variables.
 */
export function gitSpawn(
  dir: string,
  args: readonly string[],
  input?: Buffer,
  extraEnv: Record<string, string> = {},
): GitSpawnResult {
  const config = SAFE_CONFIG.flatMap((entry) => ['-c', entry]);
  const env = { ...unguardedProcessEnv(), ...extraEnv };
  const result = spawnSync('git', [...config, ...args], { cwd: dir, env, input, maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.toString('utf8') };
}

/**
 * A client for calls that read the work tree (`git add`): besides gitAt's settings, every
 * filter driver configured anywhere (system, global, the repository's own .git/config and
 * what it includes) is emptied and made optional, so `.gitattributes` cannot make git run
 * a repository's clean, smudge or process filter. Files go in as their bytes are.
 */
export async function worktreeGit(dir: string, extraEnv: Record<string, string> = {}): Promise<Git> {
  return gitAt(dir, extraEnv, await filtersOff(dir, extraEnv));
}

/** The `-c` settings that switch off every filter driver the configuration of `dir`'s repository defines (one git call). */
export async function filtersOff(dir: string, extraEnv: Record<string, string> = {}): Promise<string[]> {
  const drivers = await sharedCall(`filters\0${dir}\0${JSON.stringify(extraEnv)}`, () => filterDrivers(dir, extraEnv));
  // `-c key=value` splits at the first '=': a driver named with one could not be switched off.
  const unsafe = drivers.find((name) => name.includes('='));
  if (unsafe !== undefined)
    throw new Error(
      `refusing to read the work tree: the git filter driver ${JSON.stringify(unsafe)} cannot be disabled`,
    );
  return drivers.flatMap((name) => [
    `filter.${name}.clean=`,
    `filter.${name}.smudge=`,
    `filter.${name}.process=`,
    `filter.${name}.required=false`,
  ]);
}

/** Names of the filter drivers the configuration defines (`filter.<name>.<key>`). */
async function filterDrivers(dir: string, extraEnv: Record<string, string>): Promise<string[]> {
  let out = '';
  try {
    out = await gitAt(dir, extraEnv).raw(['config', '-z', '--get-regexp', '^filter\\.']);
  } catch {
    return []; // none configured (git exits 1)
  }
  const names = new Set<string>();
  for (const record of out.split('\0')) {
    const key = record.split('\n', 1)[0] ?? '';
    const last = key.lastIndexOf('.');
    if (key.startsWith('filter.') && last > 'filter.'.length) names.add(key.slice('filter.'.length, last));
  }
  return [...names];
}

/** Fixed identity for checkpoint commits, so they work without user.name/user.email configured. */
export const CHECKPOINT_IDENTITY: Record<string, string> = {
  GIT_AUTHOR_NAME: 'Orchestrator',
  GIT_AUTHOR_EMAIL: 'orchestrator@localhost',
  GIT_COMMITTER_NAME: 'Orchestrator',
  GIT_COMMITTER_EMAIL: 'orchestrator@localhost',
};

/** Splits a long list so one git invocation never exceeds the OS argument limits. */
export function inChunks<T>(items: readonly T[], size = 500): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
