/**
 * Opening the embedded queue's SQLite file: owner only from its first byte (it holds bcrypt and
 * token hashes), WAL with a busy timeout, refused when damaged, its schema migrated in one
 * transaction, and refused when a newer Orchestrator wrote it.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { MIGRATIONS, SCHEMA_VERSION, type Row } from './rows';
import { refuseDamaged, refuseLost } from './storeFileGuard';

export async function openQueueFile(file: string): Promise<DatabaseSync> {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  refuseLost(file);
  // Owner only, from its first byte: it holds bcrypt and token hashes (SQLite gives its -wal and -shm the same mode).
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
  // Loaded here, not at import: activation and plain CLI commands never load SQLite.
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(file, { timeout: 10_000 });
  try {
    refuseDamaged(db, file, () =>
      db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;'),
    );
  } catch (error) {
    db.close();
    throw error;
  }
  const version = Number((db.prepare('PRAGMA user_version').get() as Row).user_version ?? 0);
  if (version < SCHEMA_VERSION) {
    db.exec('BEGIN IMMEDIATE');
    try {
      for (const statements of MIGRATIONS.slice(version)) for (const statement of statements) db.exec(statement);
      db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  } else if (version > SCHEMA_VERSION) {
    db.close();
    throw new Error(
      `${file} was written by a newer Orchestrator (queue schema ${version}, this one knows ${SCHEMA_VERSION}); update the extension or CLI`,
    );
  }
  for (const side of ['-wal', '-shm']) if (existsSync(file + side)) chmodSync(file + side, 0o600);
  return db;
}
