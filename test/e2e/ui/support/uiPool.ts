/**
 * The pool of workers for the UI tests (issue 28): a private PostgreSQL with a fresh database and a
 * scratch folder for the file's tests, a bare git repository as the team's remote, the pool's runs
 * as the CLI reads them (`runs --pool --json`), and a real `orchestrator worker` (the built CLI) in
 * its own clone, on the session's scripted Messages API server.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { GIT_ENV, git } from '../../../../bench/support/git';
import { freshDatabase, startPostgres, type Postgres } from '../../../support/postgres';

export const CLI = resolve(__dirname, '../../../../dist/cli.js');

export interface UiPool {
  /** The pool's database (`queue.url`). */
  readonly url: string;
  /** A scratch folder deleted after the file's tests. */
  readonly root: string;
}

/** Registers the file's `before` (PostgreSQL, a fresh database named after `name`) and `after`. */
export function uiPool(name: string): UiPool {
  let pg: Postgres | undefined;
  let url: string | undefined;
  const root = mkdtempSync(join(tmpdir(), `orch-${name.replace(/_/g, '-')}-ui-`));
  before(async () => {
    pg = await startPostgres();
    url = await freshDatabase(pg, name);
  });
  after(() => {
    pg?.stop();
    rmSync(root, { recursive: true, force: true });
  });
  return {
    root,
    get url() {
      if (url === undefined) throw new Error("the pool's database is made in the file's before hook");
      return url;
    },
  };
}

/** A bare repository as the team's remote: `origin` of the checkout, its main pushed there. Its path. */
export function teamRemote(pool: UiPool, checkout: string): string {
  const remote = join(pool.root, 'remote.git');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', remote]);
  git(checkout, 'remote', 'add', 'origin', remote);
  git(checkout, 'push', '-q', 'origin', 'main');
  return remote;
}

/** The built CLI in `cwd`, its output. */
export function cli(args: string[], cwd: string): string {
  return execFileSync(process.execPath, [CLI, ...args], { cwd, env: { ...GIT_ENV, NO_COLOR: '1' }, encoding: 'utf8' });
}

export interface PooledRow {
  runId: string;
  status: string;
  kind: string;
  request: string;
}

/** The pool's runs as `runs --pool --json` reads them from the checkout. */
export const pooledRows = (checkout: string): PooledRow[] =>
  JSON.parse(cli(['runs', '--pool', '--json'], checkout)) as PooledRow[];

export interface UiWorker {
  child: ChildProcess;
  /** What it printed on stderr so far. */
  log(): string;
}

/** A worker joining from its own clone of the remote (another machine), the model's address and key in its environment only. */
export function startWorker(pool: UiPool, remote: string, name: string, apiUrl: string): UiWorker {
  const folder = join(pool.root, 'worker');
  execFileSync('git', ['clone', '-q', remote, folder]);
  const child = spawn(process.execPath, [CLI, 'worker', '--name', name], {
    cwd: folder,
    env: {
      ...GIT_ENV,
      NO_COLOR: '1',
      XDG_CACHE_HOME: join(pool.root, 'cache'),
      ANTHROPIC_BASE_URL: apiUrl,
      ANTHROPIC_API_KEY: 'test-key',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  return { child, log: () => log };
}
