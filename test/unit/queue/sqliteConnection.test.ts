// The embedded store's connection: statements prepared once and reused within a bound, and the
// file's identity checked after each statement (a transaction: after its COMMIT), so nothing that
// went into a deleted file is returned as done and nothing runs once the loss is known.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, test } from 'node:test';
import { CheckedConnection } from '../../../src/core/queue/sqliteConnection';
import { StoreFileGuard } from '../../../src/core/queue/storeFileGuard';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function open(maxStatements?: number): { conn: CheckedConnection; guard: StoreFileGuard; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'orch-conn-'));
  dirs.push(dir);
  const file = join(dir, 'queue.db');
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
  const guard = new StoreFileGuard(file);
  guard.watch();
  return { conn: new CheckedConnection(db, guard, maxStatements), guard, file };
}

test('a statement is prepared once however often it runs; odd SQL beyond the bound pushes the oldest out, and every one still answers', () => {
  const { conn, guard } = open(5);
  try {
    for (let i = 0; i < 50; i++) conn.run('INSERT INTO t (k, v) VALUES (?, ?)', `k${i}`, i);
    assert.equal(conn.one('SELECT COUNT(*) AS n FROM t')?.n, 50);
    assert.equal(conn.preparedCount, 2, 'the insert and the count, each prepared once');
    for (let limit = 1; limit <= 12; limit++) assert.equal(conn.all(`SELECT k FROM t ORDER BY v LIMIT ${limit}`).length, limit);
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
    assert.throws(() => conn.run('INSERT INTO t (k, v) VALUES (?, ?)', 'into the void', 2), /queue\.db was deleted while this process was using it/);
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
    assert.throws(() => conn.transaction(() => {
      conn.run('INSERT INTO t (k, v) VALUES (?, ?)', 'a', 1);
      for (const side of ['', '-wal', '-shm']) rmSync(file + side, { force: true });
      conn.run('INSERT INTO t (k, v) VALUES (?, ?)', 'b', 2);
      ran = true;
      return 'acknowledged';
    }), /was deleted while this process was using it/);
    assert.equal(ran, true, 'the statements inside ran (one check after the COMMIT, not one per statement)');
    assert.throws(() => conn.one('SELECT 1 AS one'), /was deleted/);
  } finally {
    guard.stop();
    conn.close();
  }
});
