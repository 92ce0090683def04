// One outside agent in its own thread with its own SQLite connection (bench/cases/queueDecisions.ts):
// on the start signal it claims pending tasks and submits an artifact for each, until none is
// left; posts each claim's latency.
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteQueueStore } from '../../src/core/queue/sqliteStore';
import type { ClaimResult } from './claimLoop';

const { file, name, signal } = workerData as { file: string; name: string; signal: SharedArrayBuffer };
void (async () => {
  const store = new SqliteQueueStore(file);
  await store.open();
  Atomics.wait(new Int32Array(signal), 0, 0);
  const result: ClaimResult = { won: 0, lost: 0, latencies: [] };
  for (;;) {
    const pending = await store.listTasks({ status: 'pending' });
    if (pending.length === 0) break;
    const pick = pending[Math.floor(Math.random() * Math.min(pending.length, 5))]!;
    const t0 = performance.now();
    const won = await store.claim(pick.id, name, new Date(), 900);
    result.latencies.push(performance.now() - t0);
    if (!won) {
      result.lost++;
      continue;
    }
    result.won++;
    const at = new Date();
    await store.submitArtifact(
      { taskId: won.id, type: 'text', content: `done by ${name}`, submittedBy: name, submittedAt: at.toISOString() },
      at,
    );
  }
  await store.close();
  parentPort!.postMessage(result);
})();
