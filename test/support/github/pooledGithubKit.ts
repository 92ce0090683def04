// A GitHub world on a pool (issue 39 with issue 28): the githubWorld with `queue.url` on a fresh
// database of a private PostgreSQL, the bare repository as the team's remote (`pool.remote: team`),
// and workers run in this process, each in its own clone, on the scripted model server; or the same
// with serve as a process of its own (restartWorld), to kill it. Everything
// (workers, PostgreSQL, folders, the model key set for them) is stopped and put back after `work`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PoolStore } from '../../../src/pool/poolStore';
import { runWorker } from '../../../src/pool/worker';
import { TEST_KEYS } from '../modelServer';
import { freshDatabase, startPostgres } from '../postgres';
import type { GithubApiOptions } from '../githubApiServer';
import type { AgentScript } from '../engine/agentScript';
import { isCiFix, productFollowUpAgents } from '../engine/productChanges';
import type { PullRef } from '../githubWebhooks';
import { ISSUE, pullRequestOpened } from './followUpKit';
import { githubWorld, TOKEN, type GithubWorld } from './githubKit';
import { restartWorld, type RestartWorld } from './restartKit';

/** What a pool needs of a world: the team's bare remote, the shop, the scripted model server. */
interface PoolableWorld {
  bare: string;
  h: { shop: { git(...args: string[]): string }; api: { url: string } };
  lines?: string[];
  close(): Promise<void>;
}

export interface Pooled<W extends PoolableWorld> {
  w: W;
  store: PoolStore;
  /** The workers' clones and runs' worktrees (`pool.dir`). */
  cache: string;
  /** A worker joining the pool from its own clone of the team's remote (named `gh-worker` unless told). */
  startWorker(name?: string): void;
  /** That worker stopped: it drains, as on SIGTERM. */
  drainWorker(name?: string): Promise<void>;
}

export type PooledGithub = Pooled<GithubWorld>;

export interface PooledGithubOptions {
  roles?: GithubApiOptions['roles'];
  leaseSec?: number;
}

/** serve in this process (githubWorld). */
export function withPooledGithub(
  name: string,
  agents: Record<string, AgentScript>,
  work: (world: PooledGithub) => Promise<void>,
  options: PooledGithubOptions = {},
): Promise<void> {
  return withPool(
    name,
    (config) => githubWorld(agents, options.roles ?? { alice: 'write', rita: 'read' }, { config }),
    work,
    options.leaseSec,
  );
}

/** serve as a process of its own, to be killed and started again (restartWorld). */
export function withPooledRestartWorld(
  name: string,
  agents: Record<string, AgentScript>,
  work: (world: Pooled<RestartWorld>) => Promise<void>,
): Promise<void> {
  return withPool(name, (config) => restartWorld(agents, config), work);
}

async function withPool<W extends PoolableWorld>(
  name: string,
  makeWorld: (config: (yaml: string) => string) => Promise<W>,
  work: (world: Pooled<W>) => Promise<void>,
  leaseSec = 6,
): Promise<void> {
  const pg = await startPostgres();
  const url = await freshDatabase(pg, name);
  const root = mkdtempSync(join(tmpdir(), 'orch-gh-pool-'));
  const cache = join(root, 'pool-cache');
  const w = await makeWorld(
    (yaml) => `${yaml}\nqueue:\n  url: ${url}\n  leaseSec: ${leaseSec}\npool:\n  remote: team\n  dir: ${cache}\n`,
  );
  const store = await PoolStore.open(url, 1);
  const key = process.env.ANTHROPIC_API_KEY;
  const workers = new Map<string, { drain: AbortController; going: Promise<void> }>();
  try {
    // The team's remote is the bare repository itself (a path), GitHub's origin the git server that wants the token.
    w.h.shop.git('remote', 'add', 'team', w.bare);
    await work({
      w,
      store,
      cache,
      startWorker(workerName = 'gh-worker') {
        const clone = join(root, workerName);
        execFileSync('git', ['clone', '-q', w.bare, clone]);
        execFileSync('git', ['remote', 'add', 'team', w.bare], { cwd: clone });
        process.env.ANTHROPIC_API_KEY = TEST_KEYS.anthropic;
        const drain = new AbortController();
        workers.set(workerName, {
          drain,
          going: runWorker({
            workspace: clone,
            maxRuns: 1,
            labels: [],
            name: workerName,
            signal: drain.signal,
            baseURL: w.h.api.url,
            say: (line) => w.lines?.push(`worker: ${line}`),
          }),
        });
      },
      async drainWorker(workerName = 'gh-worker') {
        const worker = workers.get(workerName)!;
        worker.drain.abort();
        await worker.going;
      },
    });
  } finally {
    workers.forEach((worker) => worker.drain.abort());
    await Promise.all([...workers.values()].map((worker) => worker.going.catch(() => undefined)));
    if (key === undefined) delete process.env.ANTHROPIC_API_KEY;
    else process.env.ANTHROPIC_API_KEY = key;
    await store.close();
    await w.close();
    rmSync(root, { recursive: true, force: true });
    pg.stop();
  }
}

/** The product's agents, the backend's first CI fix held until the test releases it (`held()`: the release, once it is held). */
export function holdingFirstCiFix(): { agents: Record<string, AgentScript>; held(): (() => void) | undefined } {
  let release: (() => void) | undefined;
  const agents = productFollowUpAgents();
  const backend = agents.backend!;
  agents.backend = async (call) => {
    if (release === undefined && isCiFix(call.task)) await new Promise<void>((resolve) => (release = resolve));
    return backend(call);
  };
  return { agents, held: () => release };
}

/** GitHub Actions' log of a failing `npm test` job, a token-shaped value in it. */
export const backendLog = [
  '2026-11-24T10:03:11.1234567Z ##[group]Run npm test',
  `2026-11-24T10:03:11.2000000Z env: GITHUB_TOKEN=${TOKEN}`,
  '2026-11-24T10:03:14.5550000Z not ok 3 - list() sorts prices as numbers',
  '2026-11-24T10:03:14.5570000Z       at Object.<anonymous> (/home/runner/work/shop/shop/server/entities/product.js:14:3)',
  '2026-11-24T10:03:14.6000000Z ##[error]Process completed with exit code 1.',
].join('\n');

export interface PooledWorld {
  w: GithubWorld;
  store: PoolStore;
  pull: PullRef & { url: string };
  firstRun: string;
  /** The first worker ('gh-worker') stopped: it drains, as on SIGTERM. */
  drainFirst(): Promise<void>;
  /** Another worker, in a clone of its own. */
  startWorker(name: string): void;
}

/** A pool, serve with the GitHub room on it, a worker; the issue's run done on the pool and its pull request opened. */
export async function withPooledPullRequest(
  name: string,
  work: (world: PooledWorld) => Promise<void>,
  agents: Record<string, AgentScript> = productFollowUpAgents(),
): Promise<void> {
  await withPooledGithub(
    name,
    agents,
    async ({ w, store, startWorker, drainWorker }) => {
      startWorker('gh-worker');
      const pull = await pullRequestOpened(w);
      const first = w.github.channel.store.ofIssue(ISSUE.number)!;
      assert.equal(first.pooled, true);
      await work({ w, store, pull, firstRun: first.runId, drainFirst: () => drainWorker('gh-worker'), startWorker });
      assert.equal(
        existsSync(join(w.h.shop.dir, '.claude', 'runs', first.runId, 'events.jsonl')),
        false,
        'no run in serve',
      );
    },
    { roles: { alice: 'admin' }, leaseSec: 5 },
  );
}
