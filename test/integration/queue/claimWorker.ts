// One contender in its own thread with its own SQLite connection: waits for the start signal,
// then claims the task (posts the task it won, or null) or holds the artifact's decision (posts
// whether it got the hold).
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteQueueStore } from '../../../src/core/queue/sqliteStore';

const { file, op, id, name, signal } = workerData as {
  file: string;
  op: 'claim' | 'hold';
  id: string;
  name: string;
  signal: SharedArrayBuffer;
};
void (async () => {
  const store = new SqliteQueueStore(file);
  await store.open();
  Atomics.wait(new Int32Array(signal), 0, 0);
  const result =
    op === 'claim'
      ? ((await store.claim(id, name, new Date(), 60)) ?? null)
      : await store.holdDecision(id, name, new Date(), 60);
  await store.close();
  parentPort!.postMessage(result);
})();
