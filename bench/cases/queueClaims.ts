/**
 * The task queue under contention (issue 11): 20 clients, each on its own connection, claim
 * 400 tasks until none is left, on the embedded SQLite file (a thread per client) and on a real
 * PostgreSQL server (a pool per client). Claims per second over the whole drain, and the 95th
 * percentile of one claim call (won or lost).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PgQueueStore } from '../../src/core/queue/pgStore';
import { SqliteQueueStore } from '../../src/core/queue/sqliteStore';
import type { QueueStore } from '../../src/core/queue/types';
import { startPostgres } from '../../test/support/postgres';
import { claimUntilEmpty, type ClaimResult } from '../support/claimLoop';
import type { BenchCase, BenchRow } from '../types';

const CLIENTS = 20;
const TASKS = 400;
const TARGET_RATE = 200;
const TARGET_P95_MS = 100;

async function fill(store: QueueStore): Promise<void> {
  const at = new Date();
  for (let i = 0; i < TASKS; i++) await store.createTask({ title: `task ${i}`, source: 'bench' }, at);
}

function rows(kind: string, results: ClaimResult[], wallMs: number, setup: string): BenchRow[] {
  const won = results.reduce((n, r) => n + r.won, 0);
  const lost = results.reduce((n, r) => n + r.lost, 0);
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const p95 = latencies[Math.floor(latencies.length * 0.95)] ?? 0;
  const rate = won / (wallMs / 1000);
  const scenario = `${CLIENTS} clients, ${TASKS} tasks, ${setup}; ${won} claims won (one per task: ${won === TASKS ? 'yes' : 'NO'}), ${lost} lost to another client, in ${(wallMs / 1000).toFixed(2)} s; median claim ${(latencies[Math.floor(latencies.length / 2)] ?? 0).toFixed(1)} ms.`;
  return [
    {
      name: `Task queue (${kind}): claims per second, 20 concurrent clients`,
      value: rate,
      unit: '/s',
      target: `≥ ${TARGET_RATE}/s`,
      pass: rate >= TARGET_RATE && won === TASKS,
      note: scenario,
    },
    {
      name: `Task queue (${kind}): p95 claim latency, 20 concurrent clients`,
      value: p95,
      unit: 'ms',
      target: `≤ ${TARGET_P95_MS} ms`,
      pass: p95 <= TARGET_P95_MS,
      note: scenario,
    },
  ];
}

async function sqliteRun(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'orch-bench-queue-'));
  try {
    const file = join(dir, 'queue.db');
    const store = new SqliteQueueStore(file);
    await store.open();
    await fill(store);
    await store.close();
    const signal = new SharedArrayBuffer(4);
    const workers = Array.from(
      { length: CLIENTS },
      (_, i) =>
        new Worker(join(__dirname, '../support/claimClient.ts'), {
          workerData: { file, name: `client-${i}`, signal },
          execArgv: ['--import', 'tsx'],
        }),
    );
    const results = workers.map(
      (w) => new Promise<ClaimResult>((resolve, reject) => (w.once('message', resolve), w.once('error', reject))),
    );
    await new Promise((resolve) => setTimeout(resolve, 2000)); // every thread has its connection open
    const t0 = performance.now();
    Atomics.store(new Int32Array(signal), 0, 1);
    Atomics.notify(new Int32Array(signal), 0);
    const done = await Promise.all(results);
    return rows('SQLite', done, performance.now() - t0, 'a thread and a connection each (WAL)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresRun(): Promise<BenchRow[]> {
  const pg = await startPostgres();
  try {
    const store = new PgQueueStore(pg.url);
    await store.open();
    await fill(store);
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        const s = new PgQueueStore(pg.url);
        await s.open();
        return s;
      }),
    );
    const t0 = performance.now();
    const done = await Promise.all(clients.map((c, i) => claimUntilEmpty(c, `client-${i}`)));
    const wall = performance.now() - t0;
    await Promise.all([...clients, store].map((s) => s.close()));
    return rows('PostgreSQL', done, wall, 'PostgreSQL on 127.0.0.1, a pool each (one process)');
  } finally {
    pg.stop();
  }
}

export default {
  title: 'Task queue claims under contention',
  order: 90,
  async run() {
    return [...(await sqliteRun()), ...(await postgresRun())];
  },
} satisfies BenchCase;
