/** The queue a workspace uses: PostgreSQL when `queue.url` names one, else the embedded file in the repository's data folder. */
import { existsSync, linkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { OrchestratorConfig } from '../project/config';
import { repositoryDataDir } from './dataDir';
import type * as PgStore from './pgStore';
import { SqliteQueueStore } from './sqliteStore';
import { LEGACY_QUEUE_DB, OLD_QUEUE_DB } from './queueFiles';
import type { QueueStore } from './types';

/** The embedded queue's file: `queue.db` in the repository's data folder (dataDir.ts), never in the working tree. */
export function queueDbPath(workspace: string): string {
  return join(repositoryDataDir(workspace), 'queue.db');
}

export async function openQueueStore(
  workspace: string,
  config: OrchestratorConfig,
  say?: (line: string) => void,
): Promise<QueueStore> {
  let store: QueueStore;
  if (config.queue.url) store = new (pgStore().PgQueueStore)(config.queue.url);
  else {
    const file = queueDbPath(workspace);
    await moveEarlierQueue(workspace, file, say);
    store = new SqliteQueueStore(file);
  }
  await store.open();
  return store;
}

/**
 * A queue kept in the working tree by an earlier version (`.claude/runs/queue.db`, before that
 * `.claude/orchestrator-queue.db`) is moved to the data folder once, with a notice: copied whole
 * by SQLite itself (`VACUUM INTO`, WAL included, into a temporary file linked into place, so two
 * processes starting at once cannot both move it), checked, and only then removed. A queue already
 * in the data folder wins; an earlier copy left beside it is named, never deleted.
 */
async function moveEarlierQueue(workspace: string, target: string, say?: (line: string) => void): Promise<void> {
  const earlier = [OLD_QUEUE_DB, LEGACY_QUEUE_DB]
    .map((rel) => ({ rel, abs: join(workspace, rel) }))
    .find((found) => existsSync(found.abs));
  if (!earlier) return;
  if (existsSync(target)) {
    say?.(
      `an earlier copy of the queue is still at ${earlier.rel}; the queue in use is ${target} (delete the earlier copy when you no longer need it)`,
    );
    return;
  }
  const { DatabaseSync } = await import('node:sqlite');
  const temp = `${target}.${process.pid}.moving`;
  rmSync(temp, { force: true });
  const source = new DatabaseSync(earlier.abs, { timeout: 10_000 });
  let counts: string;
  try {
    source.prepare('VACUUM INTO ?').run(temp);
    counts = countsOf(source);
  } finally {
    source.close();
  }
  const copy = new DatabaseSync(temp, { readOnly: true });
  try {
    if (countsOf(copy) !== counts)
      throw new Error(`the copy of ${earlier.rel} at ${temp} does not hold what the original does: nothing was moved`);
  } finally {
    copy.close();
  }
  try {
    linkSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return; // another process moved it first
    throw error;
  }
  rmSync(temp, { force: true });
  for (const side of ['', '-wal', '-shm']) rmSync(earlier.abs + side, { force: true });
  say?.(
    `moved the queue (tasks, accounts, sessions, token hashes) from ${earlier.rel} in the working tree to ${target}, where \`git clean\` cannot delete it`,
  );
}

/** Rows per table: what a copy must hold. */
function countsOf(db: import('node:sqlite').DatabaseSync): string {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
    name: string;
  }[];
  return tables
    .map(
      ({ name }) =>
        `${name}:${String((db.prepare(`SELECT COUNT(*) AS n FROM "${name.replace(/"/g, '""')}"`).get() as { n: number }).n)}`,
    )
    .join(',');
}

/** The PostgreSQL client is its own bundle (scripts/build.mjs: dist/pgstore.js), loaded only for a team's queue. */
function pgStore(): typeof PgStore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./pgStore') as typeof PgStore;
}
