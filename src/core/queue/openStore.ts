/** The queue a workspace uses: PostgreSQL when `queue.url` names one, else the embedded file. */
import { join } from 'node:path';
import type { OrchestratorConfig } from '../project/config';
import { PgQueueStore } from './pgStore';
import { SqliteQueueStore } from './sqliteStore';
import type { QueueStore } from './types';

/** The embedded queue's database file. */
export const QUEUE_DB = '.claude/orchestrator-queue.db';

export async function openQueueStore(workspace: string, config: OrchestratorConfig): Promise<QueueStore> {
  const store = config.queue.url ? new PgQueueStore(config.queue.url) : new SqliteQueueStore(join(workspace, QUEUE_DB));
  await store.open();
  return store;
}
