// The embedded store's connection: statements prepared once and reused within a bound, and the
// file's identity and size checked after each statement (a transaction: after its COMMIT), so
// nothing that went into a deleted or truncated file is returned as done and nothing runs once the
// loss is known; a statement failing with SQLite's corrupt error is followed by a quick_check.
import assert from 'node:assert/strict';
import { closeSync, existsSync, openSync, renameSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { CheckedConnection } from '../../../src/core/queue/sqliteConnection';
import { StoreFileGuard } from '../../../src/core/queue/storeFileGuard';
import { SqliteQueueStore } from '../../../src/core/queue/sqliteStore';
import { useTempDirs } from '../../support/tempDirs';

const tempDir = useTempDirs('orch-conn-', { each: true });

function open(maxStatements?: number): {
  conn: CheckedConnection;
  guard: StoreFileGuard;
  file: string;
  db: DatabaseSync;
} {
  const dir = tempDir();
  const file = join(dir, 'queue.db');
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
  const guard = new StoreFileGuard(file);
  guard.watch();
  return { conn: new CheckedConnection(db, guard, maxStatements), guard, file, db };
}

test('a statement is prepared once however often it runs; odd SQL beyond the bound pushes the oldest out, and every one still answers', () => {
  const { conn, guard } = open(5);
  try {
    for (let i = 0; i < 50; i++) conn.run('INSERT INTO t (k, v) VALUES (?, ?)', `k${i}`, i);
    assert.equal(conn.one('SELECT COUNT(*) AS n FROM t')?.n, 50);
    assert.equal(conn.preparedCount, 2, 'the insert and the count, each prepared once');
    for (let limit = 1; limit <= 12; limit++)
      assert.equal(conn.all(`SELECT k FROM t ORDER BY v LIMIT ${limit}`).length, limit);
    assert.equal(conn.preparedCount, 5, 'never more than the bound');
    assert.equal(conn.one('SELECT v FROM t WHERE k = ?', 'k7')?.v, 7, 'a statement pushed out is prepared again');
    assert.equal(conn.one('SELECT v FROM t WHERE k = ?', 'k8')?.v, 8, 'a cached statement takes new parameters');
  } finally {
    guard.stop();
    conn.close();
  }
});

test('the file deleted: the statement that ran on it throws instead of answering, and the next is refused before it runs', () => {
  const { conn, guard, file } = open();
  try {
    conn.run('INSERT INTO t (k, v) VALUES (?, ?)', 'kept', 1);
    for (const side of ['', '-wal', '-shm']) rmSync(file + side, { force: true });
    assert.throws(
      () => conn.run('INSERT INTO t (k, v) VALUES (?, ?)', 'into the void', 2),
      /queue\.db was deleted while this process was using it/,
    );
    assert.throws(() => conn.one('SELECT COUNT(*) AS n FROM t'), /was deleted/, 'a read is refused too');
    // Refused before running: a statement that cannot even be prepared still gets the loss, not SQLite's error.
    assert.throws(() => conn.one('SELECT * FROM no_such_table'), /was deleted/);
    assert.throws(() => conn.transaction(() => conn.run('INSERT INTO t (k, v) VALUES (?, ?)', 'x', 3)), /was deleted/);
  } finally {
    guard.stop();
    conn.close();
  }
});

test('a transaction whose file goes away midway: its COMMIT is checked, so its result is never returned as done', () => {
  const { conn, guard, file } = open();
  try {
    let ran = false;
    assert.throws(
      () =>
        conn.transaction(() => {
          conn.run('INSERT INTO t (k, v) VALUES (?, ?)', 'a', 1);
          for (const side of ['', '-wal', '-shm']) rmSync(file + side, { force: true });
          conn.run('INSERT INTO t (k, v) VALUES (?, ?)', 'b', 2);
          ran = true;
          return 'acknowledged';
        }),
      /was deleted while this process was using it/,
    );
    assert.equal(ran, true, 'the statements inside ran (one check after the COMMIT, not one per statement)');
    assert.throws(() => conn.one('SELECT 1 AS one'), /was deleted/);
  } finally {
    guard.stop();
    conn.close();
  }
});

/** Rows enough for several pages, checkpointed into the file itself (not left in the WAL). */
function fill(conn: CheckedConnection, db: DatabaseSync): void {
  conn.transaction(() => {
    for (let i = 0; i < 100; i++) conn.run('INSERT INTO t (k, v) VALUES (?, ?)', `row-${i}-${'x'.repeat(200)}`, i);
  });
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
}

test('the file truncated in place (same inode): the statement that ran on it throws, the listeners are told, and nothing runs after', () => {
  const { conn, guard, file, db } = open();
  try {
    fill(conn, db);
    let told: Error | undefined;
    guard.onLost((error) => (told = error));
    const inode = statSync(file).ino;
    truncateSync(file, 0);
    assert.equal(statSync(file).ino, inode);
    // SQLite itself does not notice: it writes into its WAL and answers from its cache.
    assert.throws(
      () => conn.run('INSERT INTO t (k, v) VALUES (?, ?)', 'into the void', -1),
      /queue\.db was truncated \(0 bytes, it had \d+\) while this process was using it/,
    );
    assert.match(String(told?.message), /was truncated/);
    assert.throws(() => conn.one('SELECT COUNT(*) AS n FROM t'), /was truncated/, 'a read is refused too');
  } finally {
    guard.stop();
    conn.close();
  }
});

test("a file that grows under the store (another process checkpointing) is still its own; one overwritten in part fails a statement with SQLite's own error, and quick_check makes it lost", () => {
  const { conn, guard, file } = open();
  const other = new DatabaseSync(file);
  try {
    conn.run('INSERT INTO t (k, v) VALUES (?, ?)', 'first', 0);
    // Another connection writes and checkpoints: the file grows, which is no loss.
    other.exec(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) INSERT INTO t (k, v) SELECT 'other-' || i || '${'y'.repeat(200)}', i FROM n`,
    );
    other.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    assert.equal(conn.one('SELECT COUNT(*) AS n FROM t')?.n, 101);
    // Garbage over every page but the first, same size: no stat can tell, SQLite can.
    const size = statSync(file).size;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(size - 4096, 0xab), 0, size - 4096, 4096);
    closeSync(fd);
    // Another commit, so this connection's cache is stale and it reads the pages again.
    other.exec("INSERT INTO t (k, v) VALUES ('bump', 1)");
    assert.throws(
      () => conn.all('SELECT * FROM t ORDER BY v'),
      /queue\.db is damaged \(SQLite: .*malformed.*; quick_check: .*\) while this process was using it/,
    );
    assert.throws(() => conn.one('SELECT 1 AS one'), /is damaged/, 'refused from then on');
  } finally {
    other.close();
    guard.stop();
    conn.close();
  }
});

test('a damaged file is refused at open by name, with what to do, instead of being served half empty', async () => {
  const dir = tempDir();
  const file = join(dir, 'queue.db');
  const store = new SqliteQueueStore(file);
  await store.open();
  for (let i = 0; i < 50; i++) await store.createTask({ title: `task ${i}`, description: 'd'.repeat(500) }, new Date());
  await store.close();
  const size = statSync(file).size;
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(size - 4096, 0), 0, size - 4096, 4096);
  closeSync(fd);
  await assert.rejects(
    new SqliteQueueStore(file).open(),
    /the queue database .*queue\.db is damaged \(SQLite: .*\): .*Move it \(with its -wal and -shm files\) aside to start an empty queue, or put back a backup/,
  );
  truncateSync(file, 100);
  await assert.rejects(new SqliteQueueStore(file).open(), /queue\.db is damaged/);
});

test('a store found truncated under it is never reopened as a new, empty queue, even when SQLite had nothing to write back', async () => {
  const dir = tempDir();
  const file = join(dir, 'queue.db');
  const first = new SqliteQueueStore(file);
  await first.open();
  await first.putAccount({ name: 'sam', role: 'supervisor', passwordHash: 'x' }, new Date());
  await first.close();
  // Opened again and only read: its WAL holds nothing, so closing writes nothing back.
  const store = new SqliteQueueStore(file);
  await store.open();
  truncateSync(file, 0);
  await assert.rejects(
    store.listTasks(),
    /queue\.db was truncated \(0 bytes, it had \d+\) while this process was using it/,
  );
  await store.close();
  assert.equal(statSync(file).size, 0, 'an empty file SQLite alone would open as a new database');
  await assert.rejects(
    new SqliteQueueStore(file).open(),
    new RegExp(
      `the queue database .*queue\\.db was truncated \\(0 bytes, it had \\d+\\) while process ${process.pid} was using it, \\d{4}-.*Z: what it held is gone, so it is not opened as an empty queue\\. Move it \\(with its -wal and -shm files\\) aside and delete .*queue\\.db\\.lost to start an empty queue`,
    ),
  );
  // As the error says: moved aside and the mark deleted, the queue starts empty.
  renameSync(file, `${file}.truncated`);
  rmSync(`${file}.lost`);
  const fresh = new SqliteQueueStore(file);
  await fresh.open();
  assert.deepEqual(await fresh.listAccounts(), []);
  await fresh.close();
  assert.equal(existsSync(`${file}.lost`), false);
});
