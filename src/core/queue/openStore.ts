/** The queue a workspace uses: PostgreSQL when `queue.url` names one, else the embedded file. */
import { join } from 'node:path';
import type { OrchestratorConfig } from '../project/config/config';
import type * as PgStore from './pgStore';
import { SqliteQueueStore } from './sqliteStore';
import { QUEUE_DB } from './queueFiles';
import type { QueueStore } from './types';

export async function openQueueStore(workspace: string, config: OrchestratorConfig): Promise<QueueStore> {
  const store = config.queue.url ? new (pgStore().PgQueueStore)(config.queue.url) : new SqliteQueueStore(join(workspace, QUEUE_DB));
  await store.open();
  return store;
}

/** The PostgreSQL client is its own bundle (scripts/build.mjs: dist/pgstore.js), loaded only for a team's queue. */
function pgStore(): typeof PgStore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./pgStore') as typeof PgStore;
}
