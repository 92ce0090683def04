/** The queue a workspace uses: PostgreSQL when `queue.url` names one, else the embedded file. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RUNS_DIR } from '../journal/runPaths';
import { ensureStateDir } from '../journal/stateDir';
import type { OrchestratorConfig } from '../project/config/config';
import type * as PgStore from './pgStore';
import { SqliteQueueStore } from './sqliteStore';
import type { QueueStore } from './types';

/** The embedded queue's database file (with its -wal and -shm), in the run-time folder that ignores itself. */
export const QUEUE_DB = join(RUNS_DIR, 'queue.db');
/** Where versions before 0.1 kept it: still used when it is there, so no queue is lost. */
export const LEGACY_QUEUE_DB = join('.claude', 'orchestrator-queue.db');

export function queueDbPath(workspace: string): string {
  if (existsSync(join(workspace, LEGACY_QUEUE_DB))) return join(workspace, LEGACY_QUEUE_DB);
  ensureStateDir(workspace);
  return join(workspace, QUEUE_DB);
}

export async function openQueueStore(workspace: string, config: OrchestratorConfig): Promise<QueueStore> {
  const store = config.queue.url ? new (pgStore().PgQueueStore)(config.queue.url) : new SqliteQueueStore(queueDbPath(workspace));
  await store.open();
  return store;
}

/** The PostgreSQL client is its own bundle (scripts/build.mjs: dist/pgstore.js), loaded only for a team's queue. */
function pgStore(): typeof PgStore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./pgStore') as typeof PgStore;
}
