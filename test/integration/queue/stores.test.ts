// The queue's store suite on the embedded SQLite file and on a real PostgreSQL server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PgQueueStore } from '../../../src/core/queue/pgStore';
import { MIGRATIONS } from '../../../src/core/queue/rows';
import { SqliteQueueStore } from '../../../src/core/queue/sqliteStore';
import type { QueueStore, Task } from '../../../src/core/queue/types';
import { freshDatabase, usePostgres } from '../../support/postgres';
import { storeSuite } from './storeSuite';
import { useTempDirs } from '../../support/tempDirs';

const tempDir = useTempDirs('orch-queue-');

storeSuite('sqlite', () => ({
  async fresh() {
    const dir = tempDir();
    const store = new SqliteQueueStore(join(dir, '.claude', 'orchestrator-queue.db'));
    await store.open();
    return store;
  },
  async reopen(store) {
    const other = new SqliteQueueStore((store as SqliteQueueStore).file);
    await other.open();
    return other;
  },
  // Threads, each with its own connection, released together: SQLite's locking decides.
  claimAtOnce: (store, taskId, n) => inThreads<Task | null>((store as SqliteQueueStore).file, 'claim', taskId, n),
  holdAtOnce: (store, artifactId, n) => inThreads<boolean>((store as SqliteQueueStore).file, 'hold', artifactId, n),
}));

async function inThreads<T>(file: string, op: 'claim' | 'hold', id: string, n: number): Promise<T[]> {
  const signal = new SharedArrayBuffer(4);
  const workers = Array.from(
    { length: n },
    (_, i) =>
      new Worker(join(__dirname, 'claimWorker.ts'), {
        workerData: { file, op, id, name: `contender-${i}`, signal },
        execArgv: ['--import', 'tsx'],
      }),
  );
  const results = workers.map(
    (w) => new Promise<T>((resolve, reject) => (w.once('message', resolve), w.once('error', reject))),
  );
  await new Promise((resolve) => setTimeout(resolve, 1500)); // every worker opened its connection and waits
  Atomics.store(new Int32Array(signal), 0, 1);
  Atomics.notify(new Int32Array(signal), 0);
  return Promise.all(results);
}

const pg = usePostgres();

storeSuite('postgres', () => ({
  // Each test its own database on the one server.
  async fresh() {
    const url = await freshDatabase(pg, 'queue');
    const store = new PgQueueStore(url);
    await store.open();
    (store as unknown as { testUrl: string }).testUrl = url;
    return store;
  },
  async reopen(store) {
    const other = new PgQueueStore((store as unknown as { testUrl: string }).testUrl);
    await other.open();
    return other;
  },
  // Separate stores (separate pools and connections), all sent at once.
  claimAtOnce: (store, taskId, n) =>
    onConnections(store, n, async (s, i) => (await s.claim(taskId, `claimer-${i}`, new Date(), 60)) ?? null),
  holdAtOnce: (store, artifactId, n) =>
    onConnections(store, n, (s, i) => s.holdDecision(artifactId, `reviewer-${i}`, new Date(), 60)),
}));

async function onConnections<T>(
  store: QueueStore,
  n: number,
  work: (store: QueueStore, i: number) => Promise<T>,
): Promise<T[]> {
  const url = (store as unknown as { testUrl: string }).testUrl;
  const stores: QueueStore[] = await Promise.all(
    Array.from({ length: n }, async () => {
      const s = new PgQueueStore(url);
      await s.open();
      return s;
    }),
  );
  try {
    return await Promise.all(stores.map(work));
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
}

test('sqlite: a queue written by the previous version (schema 1) is migrated in place: its rows kept, its artifacts decided under a hold', async () => {
  const dir = tempDir();
  const file = join(dir, 'orchestrator-queue.db');
  const { DatabaseSync } = await import('node:sqlite');
  const old = new DatabaseSync(file);
  // Schema 1 as it shipped: the artifacts table without the decision hold.
  old.exec(`CREATE TABLE tasks (id TEXT PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL, source TEXT NOT NULL, status TEXT NOT NULL, layer TEXT, run_id TEXT, spec_id TEXT, claimer TEXT, lease_until TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
    CREATE TABLE artifacts (id TEXT PRIMARY KEY, task_id TEXT NOT NULL REFERENCES tasks (id), type TEXT NOT NULL, content TEXT NOT NULL, path TEXT, submitted_by TEXT NOT NULL, submitted_at TEXT NOT NULL, verdict TEXT, comment TEXT, decided_by TEXT, decided_at TEXT, refusal TEXT);
    CREATE TABLE messages (id TEXT PRIMARY KEY, task_id TEXT NOT NULL REFERENCES tasks (id), author TEXT NOT NULL, text TEXT NOT NULL, at TEXT NOT NULL);
    INSERT INTO tasks VALUES ('t-old', 'from v1', '', 'cli', 'review_pending', NULL, NULL, NULL, 'agent', NULL, '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z');
    INSERT INTO artifacts (id, task_id, type, content, submitted_by, submitted_at) VALUES ('a-old', 't-old', 'text', 'notes', 'agent', '2026-11-01T00:00:00.000Z');
    PRAGMA user_version = 1;`);
  old.close();
  const store = new SqliteQueueStore(file);
  await store.open();
  try {
    assert.equal((await store.getTask('t-old'))?.title, 'from v1');
    assert.equal(await store.holdDecision('a-old', 'ana#1', new Date(), 60), true);
    assert.equal(
      await store.recordDecision('a-old', 'ana#1', {
        decision: { verdict: 'approved', by: 'ana', at: new Date().toISOString() },
        taskStatus: 'done',
      }),
      true,
    );
    assert.equal((await store.getTask('t-old'))?.status, 'done');
  } finally {
    await store.close();
  }
});

test('sqlite: a portal queue of schema 3 gains account emails and shared sessions in place (schema 4): its accounts kept', async () => {
  const dir = tempDir();
  const file = join(dir, 'orchestrator-queue.db');
  const { DatabaseSync } = await import('node:sqlite');
  const old = new DatabaseSync(file);
  for (const statements of MIGRATIONS.slice(0, 3)) for (const statement of statements) old.exec(statement);
  old.exec(
    `INSERT INTO accounts (name, role, password_hash, created_at) VALUES ('ada', 'admin', 'h', '2026-11-01T00:00:00.000Z'); PRAGMA user_version = 3;`,
  );
  old.close();
  const store = new SqliteQueueStore(file);
  await store.open();
  try {
    assert.deepEqual(await store.getAccount('ada'), {
      name: 'ada',
      role: 'admin',
      passwordHash: 'h',
      hasToken: false,
      createdAt: '2026-11-01T00:00:00.000Z',
    });
    assert.equal(
      (await store.putAccount({ name: 'ada', role: 'admin', email: 'ada@example.com' }, new Date())).email,
      'ada@example.com',
    );
    await store.addSession({
      idHash: 'h1',
      name: 'ada',
      role: 'admin',
      csrf: 'c',
      createdAt: '2026-11-01T00:00:00.000Z',
      lastSeen: '2026-11-01T00:00:00.000Z',
    });
    assert.equal((await store.getSession('h1'))?.name, 'ada');
  } finally {
    await store.close();
  }
});

test("sqlite: another connection's commit is heard through the file (no polling); this connection's own writes are not", async () => {
  const dir = tempDir();
  const file = join(dir, '.claude', 'orchestrator-queue.db');
  const mine = new SqliteQueueStore(file);
  const theirs = new SqliteQueueStore(file);
  await mine.open();
  await theirs.open();
  const heard: string[] = [];
  const stop = await mine.watch((change) => heard.push(`${change.kind}:${change.taskId}`));
  try {
    await mine.createTask({ title: 'mine' }, new Date());
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(heard, [], 'its own write');
    await theirs.createTask({ title: 'theirs' }, new Date());
    const deadline = Date.now() + 5000;
    while (heard.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(heard, ['task:']);
  } finally {
    await stop();
    await theirs.close();
    await mine.close();
  }
});
