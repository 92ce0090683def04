// A pool on one machine standing in for several: a private PostgreSQL, a bare git repository as
// the team's remote, the user's checkout, and worker processes (the built CLI) each in its own
// clone folder, all against one scripted Messages API server.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startMessagesApiServer, type MessagesApiServer } from '../messagesApiServer';
import { freshDatabase, startPostgres, type Postgres } from '../postgres';
import { pipelineScript, type AgentScript, type PipelineScript } from '../engine/agentScript';
import { makeShop, type ShopWorkspace } from '../engine/shopWorkspace';
import { FAKE_KEY, runCli, startCli, type CliResult, type CliRun } from '../cli/cliKit';
import { PoolStore } from '../../../src/pool/poolStore';
import type { PoolRun } from '../../../src/pool/types';

export const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

export interface PoolWorld extends PipelineScript {
  pg: Postgres;
  url: string;
  api: MessagesApiServer;
  shop: ShopWorkspace;
  remote: string;
  store: PoolStore;
  /** The CLI in the user's checkout (or another folder), with the pool's environment. */
  cli(args: string[], cwd?: string): Promise<CliResult>;
  /** A worker process in its own clone of the remote (`folder`: one cloned before, as a machine's checkout; `env`: its own variables, e.g. a PATH with or without a CLI agent). */
  worker(
    name: string,
    extra?: string[],
    folder?: string,
    env?: Record<string, string>,
  ): CliRun & { folder: string; log(): string };
  /** A fresh clone of the remote, as another machine's checkout. */
  clone(name: string): string;
  waitFor(what: string, check: (runs: PoolRun[]) => boolean, timeoutMs?: number): Promise<PoolRun[]>;
  close(): Promise<void>;
}

export async function poolWorld(
  agents: Record<string, AgentScript>,
  options: { config?: (yaml: string) => string; pg?: Postgres } = {},
): Promise<PoolWorld> {
  const pg = options.pg ?? (await startPostgres());
  const url = await freshDatabase(pg, 'pool');
  const scripted = pipelineScript(agents);
  const api = await startMessagesApiServer(scripted.script);
  const root = mkdtempSync(join(tmpdir(), 'orch-pool-'));
  const remote = join(root, 'remote.git');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', remote]);
  const shop = makeShop({
    config: (yaml) => `${options.config ? options.config(yaml) : yaml}\nqueue:\n  leaseSec: 3\n`,
  });
  shop.git('remote', 'add', 'origin', remote);
  shop.git('push', '-q', 'origin', 'main');
  const env = { ORCHESTRATOR_QUEUE_URL: url, XDG_CACHE_HOME: join(root, 'cache'), ...GIT_ENV };
  const store = await PoolStore.open(url);
  const workers: CliRun[] = [];
  const clone = (name: string): string => {
    const folder = join(root, name);
    execFileSync('git', ['clone', '-q', remote, folder]);
    return folder;
  };
  return {
    ...scripted,
    pg,
    url,
    api,
    shop,
    remote,
    store,
    clone,
    cli: (args, cwd = shop.dir) => runCli(args, { cwd, baseURL: api.url, env }),
    worker(name, extra = [], folder = clone(`worker-${name.replace(/\W/g, '_')}`), own = {}) {
      mkdirSync(join(root, 'cache'), { recursive: true });
      const run = startCli(['worker', '--name', name, ...extra], {
        cwd: folder,
        baseURL: api.url,
        env: { ...env, ...own },
      });
      workers.push(run);
      let log = '';
      run.child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
      return { ...run, folder, log: () => log };
    },
    async waitFor(what, check, timeoutMs = 120_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const runs = await store.list();
        if (check(runs)) return runs;
        if (Date.now() > until)
          throw new Error(
            `timed out waiting for ${what}: ${JSON.stringify(runs.map((r) => [r.runId, r.status, r.phase, r.worker, r.reason]))}`,
          );
        await sleep(100);
      }
    },
    async close() {
      for (const run of workers)
        if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
      await Promise.all(workers.map((run) => run.done));
      await store.close();
      await api.close();
      shop.cleanup();
      rmSync(root, { recursive: true, force: true });
      if (!options.pg) pg.stop();
    },
  };
}

export { FAKE_KEY };
