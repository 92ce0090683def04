/** The queue a workspace uses: PostgreSQL when `queue.url` names one, else the embedded file. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureStateDir } from '../journal/stateDir';
import type { OrchestratorConfig } from '../project/config/config';
import type * as PgStore from './pgStore';
import { SqliteQueueStore } from './sqliteStore';
import { LEGACY_QUEUE_DB, QUEUE_DB } from './queueFiles';
import type { QueueStore } from './types';

/** The embedded queue's file: the earlier place when a queue is there, else in the run-time folder (made, ignoring itself). */
export function queueDbPath(workspace: string): string {
  if (existsSync(join(workspace, LEGACY_QUEUE_DB))) return join(workspace, LEGACY_QUEUE_DB);
  ensureStateDir(workspace);
  return join(workspace, QUEUE_DB);
}

export async function openQueueStore(workspace: string, config: OrchestratorConfig, _say?: (line: string) => void): Promise<QueueStore> {
  const store = config.queue.url ? new (pgStore().PgQueueStore)(config.queue.url) : new SqliteQueueStore(queueDbPath(workspace));
  await store.open();
  return store;
}

/** The PostgreSQL client is its own bundle (scripts/build.mjs: dist/pgstore.js), loaded only for a team's queue. */
function pgStore(): typeof PgStore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./pgStore') as typeof PgStore;
}
