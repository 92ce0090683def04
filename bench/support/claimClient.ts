// One queue client in its own thread with its own SQLite connection (bench/cases/queueClaims.ts):
// on the start signal it claims pending tasks until none is left; posts each claim's latency.
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteQueueStore } from '../../src/core/queue/sqliteStore';
import { claimUntilEmpty } from './claimLoop';

const { file, name, signal } = workerData as { file: string; name: string; signal: SharedArrayBuffer };
void (async () => {
  const store = new SqliteQueueStore(file);
  await store.open();
  Atomics.wait(new Int32Array(signal), 0, 0);
  const result = await claimUntilEmpty(store, name);
  await store.close();
  parentPort!.postMessage(result);
})();
