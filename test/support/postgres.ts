/**
 * A private PostgreSQL server for the tests: Debian's binaries (scripts/setup.mjs installs the
 * `postgresql` package), a throwaway cluster in a temporary folder, TCP on 127.0.0.1 with trust
 * auth, stopped and deleted at the end. Without the binaries it throws: a PostgreSQL test never
 * passes by not running.
 *
 * A tier that runs many files (`--test-global-setup=./test/support/postgresTier.ts`) starts one
 * server for all of them: startPostgres() then gives each caller a database of its own on it
 * (initdb and a server start cost seconds of CPU, which forty files and worlds paid each). A test
 * that stops or restarts the server asks for its own (`{ own: true }`).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { madeBefore } from './madeBefore';

export interface Postgres {
  url: string;
  stop(): void;
  /** Stops the server (connections drop), waits `downMs`, starts it again on the same port and data. */
  restart(downMs: number): Promise<void>;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((v) => join(root, v, 'bin')).find((dir) => existsSync(join(dir, 'initdb')));
  if (!found)
    throw new Error(
      "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run `npm test` (its setup installs Debian's postgresql) or `apt-get install postgresql`",
    );
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Where the tier's shared server is (postgresTier.ts), for the test processes it starts. */
export const SHARED_PG_ENV = 'ORCH_TEST_PG_URL';

export async function startPostgres(options: { own?: boolean; maxConnections?: number } = {}): Promise<Postgres> {
  const shared = process.env[SHARED_PG_ENV];
  if (shared && !options.own) return sharedDatabase(shared);
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'orch-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = await freePort();
  // initdb refuses to run as root: the cluster belongs to the postgres user when we are root.
  const asUser = (cmd: string, args: string[]) =>
    process.getuid?.() === 0
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'pipe' })
      : execFileSync(join(bin, cmd), args, { stdio: 'pipe' });
  asUser('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const start = () =>
    asUser('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} -h 127.0.0.1 -c fsync=off -c max_connections=${options.maxConnections ?? 200}`,
      'start',
    ]);
  start();
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async restart(downMs) {
      asUser('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      start();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        asUser('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

let databases = 0;

/** A new, empty database on the server; its URL. */
export async function freshDatabase(pg: Pick<Postgres, 'url'>, prefix: string): Promise<string> {
  const name = `${prefix}_${process.pid}_${++databases}`;
  const { Client } = await import('pg');
  const client = new Client({ connectionString: pg.url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return pg.url.replace(/\/[^/]+$/, `/${name}`);
}

/** A database of its own on the tier's server, standing in for a server of its own: it is dropped with the server. */
async function sharedDatabase(serverUrl: string): Promise<Postgres> {
  const url = await freshDatabase({ url: serverUrl }, 'file');
  return {
    url,
    async restart() {
      throw new Error('restarting PostgreSQL stops it for every file of the tier: startPostgres({ own: true })');
    },
    stop() {
      // The tier's server is stopped and deleted once its last file has run.
    },
  };
}

/**
 * The test file's PostgreSQL server: started before its tests (after `first`, such as building the
 * CLI its tests run), stopped after them. Read it inside tests and hooks, once it has started.
 */
export function usePostgres(first?: () => void, options: { own?: boolean } = {}): Postgres {
  let server: Postgres | undefined;
  const started = (): Postgres => madeBefore(server, 'the test PostgreSQL server');
  before(async () => {
    first?.();
    server = await startPostgres(options);
  });
  after(() => server?.stop());
  return {
    get url() {
      return started().url;
    },
    stop: () => started().stop(),
    restart: (downMs) => started().restart(downMs),
  };
}
