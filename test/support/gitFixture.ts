import { execFileSync } from 'node:child_process';
import { after, before } from 'node:test';
import { createHash } from 'node:crypto';
import {
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Points HOME/XDG_CONFIG_HOME at an empty directory for this test process, so neither the
 * fixture nor the code under test sees the machine's global git config: "works without
 * user.name" is then really tested. A shard runs many files in one process: what was unset
 * is unset again (assigning undefined would set the text "undefined").
 */
export function isolateGitConfig(): () => void {
  const home = mkdtempSync(join(tmpdir(), 'orch-home-'));
  const saved = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
  process.env.HOME = home;
  process.env.XDG_CONFIG_HOME = home;
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(home, { recursive: true, force: true });
  };
}

/**
 * For the tests of a file (or of the describe block it is called in): git's config isolated before
 * them; after them, the folders pushed on the returned list removed and the config put back.
 */
export function isolatedGit(): string[] {
  const dirs: string[] = [];
  let restore = (): void => undefined;
  before(() => {
    restore = isolateGitConfig();
  });
  after(() => {
    dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
    restore();
  });
  return dirs;
}

const made: string[] = [];
// Every folder tempDir made is gone when the test file's process ends, whatever the test did.
process.on('exit', () => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

export function tempDir(prefix = 'orch-git-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

const IDENTITY = ['-c', 'user.name=Test User', '-c', 'user.email=test@example.com', '-c', 'commit.gpgSign=false'];

/** Runs git in `cwd` and returns stdout as raw bytes. */
export function gitBytes(cwd: string, ...args: string[]): Buffer {
  return execFileSync('git', [...IDENTITY, ...args], {
    cwd,
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function git(cwd: string, ...args: string[]): string {
  return gitBytes(cwd, ...args).toString('utf8');
}

export function initRepo(dir: string): void {
  git(dir, 'init', '-q', '-b', 'main');
}

export function write(root: string, path: string, content: string | Buffer): void {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/** A new repository (in a folder tempDir makes) holding `files`, committed as `message`. */
export function committedRepo(files: Record<string, string | Buffer>, message = 'base', prefix?: string): string {
  const dir = tempDir(prefix);
  initRepo(dir);
  for (const [path, content] of Object.entries(files)) write(dir, path, content);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
  return dir;
}

/** Everything the user could notice in git besides the work tree, as exact bytes. */
export function gitSnapshot(dir: string): Record<string, string> {
  const run = (...args: string[]) => {
    try {
      return gitBytes(dir, ...args).toString('base64');
    } catch (err) {
      return `exit ${(err as { status?: number }).status}`;
    }
  };
  return {
    head: run('rev-parse', '--verify', '-q', 'HEAD'),
    symbolicHead: run('symbolic-ref', 'HEAD'),
    branches: run('for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads'),
    stash: run('stash', 'list', '--format=%H %s'),
    staged: run('diff', '--cached', '--binary'),
    unstaged: run('diff', '--binary'),
    status: run('status', '--porcelain=v1', '--untracked-files=all'),
  };
}

/** sha256 of the index file, read without running git (git status may refresh it). */
export function indexHash(dir: string): string {
  return createHash('sha256')
    .update(readFileSync(join(dir, '.git', 'index')))
    .digest('hex');
}

/** Every entry of the work tree except `.git`: file bytes + mode, symlink targets, directories. */
export function hashTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      if (path === '.git') continue;
      const abs = join(root, path);
      const stat = lstatSync(abs);
      if (stat.isSymbolicLink()) out.set(path, `link ${readlinkSync(abs)}`);
      else if (stat.isDirectory()) {
        out.set(path, 'dir');
        walk(path);
      } else {
        const digest = createHash('sha256').update(readFileSync(abs)).digest('hex');
        out.set(path, `${(stat.mode & 0o777).toString(8)} ${digest}`);
      }
    }
  };
  walk('');
  return out;
}

/** A temporary folder holding empty git repositories (`repos`, folder names) and the given files, for workspaces of repositories. */
export function repositoriesFolder(
  files: Record<string, string>,
  repos: readonly string[],
  prefix = 'orch-repos-',
): string {
  const dir = tempDir(prefix);
  for (const repo of repos) {
    mkdirSync(join(dir, repo), { recursive: true });
    execFileSync('git', ['init', '-q', join(dir, repo)]);
  }
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}
