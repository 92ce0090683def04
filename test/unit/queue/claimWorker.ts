// One claimer in its own thread with its own SQLite connection: waits for the start signal,
// then claims the task; posts the task it won, or null.
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteQueueStore } from '../../../src/core/queue/sqliteStore';

const { file, taskId, claimer, signal } = workerData as { file: string; taskId: string; claimer: string; signal: SharedArrayBuffer };
void (async () => {
  const store = new SqliteQueueStore(file);
  await store.open();
  Atomics.wait(new Int32Array(signal), 0, 0);
  const won = await store.claim(taskId, claimer, new Date(), 60);
  await store.close();
  parentPort!.postMessage(won ?? null);
})();
