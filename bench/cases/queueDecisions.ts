/**
 * Decisions under contention (issue 20): 20 outside agents, each in its own thread on its own
 * SQLite connection, claim 200 tasks and submit an artifact for each, while a reviewer decides
 * every artifact as it arrives through the queue service (hold the decision, record it with its
 * effect on the task in one transaction, append decisions.jsonl). Claims per second over the
 * whole drain, and the 95th percentile of one decision. Text artifacts: the time is the queue's,
 * not a validate command's.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { engine } from '../../src/core/engine';
import { queueDbPath } from '../../src/core/queue/openStore';
import type { ClaimResult } from '../support/claimLoop';
import { makeShop } from '../support/shop';
import type { BenchCase, BenchRow } from '../types';

const CLAIMERS = 20;
const TASKS = 200;
const TARGET_RATE = 100;
const TARGET_P95_MS = 100;

export default {
  title: 'Task queue decisions under contention',
  order: 91,
  async run(ctx) {
    const shop = makeShop();
    ctx.onCleanup(() => shop.cleanup());
    const queue = await engine.openQueue(shop.dir, { trusted: true });
    try {
      for (let i = 0; i < TASKS; i++) await queue.createTask({ title: `task ${i}`, source: 'bench' }, 'bench');
      const signal = new SharedArrayBuffer(4);
      const file = queueDbPath(shop.dir);
      const workers = Array.from(
        { length: CLAIMERS },
        (_, i) =>
          new Worker(join(__dirname, '../support/submitClient.ts'), {
            workerData: { file, name: `agent-${i}`, signal },
            execArgv: ['--import', 'tsx'],
          }),
      );
      const claimed = workers.map(
        (w) => new Promise<ClaimResult>((resolve, reject) => (w.once('message', resolve), w.once('error', reject))),
      );
      await new Promise((resolve) => setTimeout(resolve, 2000)); // every thread has its connection open
      const t0 = performance.now();
      Atomics.store(new Int32Array(signal), 0, 1);
      Atomics.notify(new Int32Array(signal), 0);

      const decisions: number[] = [];
      let refused = 0;
      while (decisions.length < TASKS) {
        const waiting = await queue.listTasks('review_pending');
        if (waiting.length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
        for (const task of waiting) {
          const d0 = performance.now();
          const outcome = await queue.review({ taskId: task.id, verdict: 'approved', reviewer: 'bench' });
          decisions.push(performance.now() - d0);
          if (outcome.refusal) refused++;
        }
      }
      const results = await Promise.all(claimed);
      const wall = performance.now() - t0;
      const won = results.reduce((n, r) => n + r.won, 0);
      const lost = results.reduce((n, r) => n + r.lost, 0);
      const rate = won / (wall / 1000);
      const sorted = decisions.sort((a, b) => a - b);
      const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
      const done = (await queue.listTasks('done')).length;
      const scenario = `${CLAIMERS} claimers (a thread and a SQLite connection each) claim and submit ${TASKS} tasks while one reviewer approves each artifact as it arrives; ${won} claims won, ${lost} lost, ${done} tasks done (one decision each: ${done === TASKS && refused === 0 ? 'yes' : 'NO'}) in ${(wall / 1000).toFixed(2)} s; median decision ${(sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(1)} ms.`;
      ctx.log(scenario);
      return [
        {
          name: 'Task queue (SQLite): claims per second while decisions are taken, 20 concurrent claimers',
          value: rate,
          unit: '/s',
          target: `≥ ${TARGET_RATE}/s`,
          pass: rate >= TARGET_RATE && won === TASKS,
          note: scenario,
        },
        {
          name: 'Task queue (SQLite): p95 of one decision, 20 concurrent claimers',
          value: p95,
          unit: 'ms',
          target: `≤ ${TARGET_P95_MS} ms`,
          pass: p95 <= TARGET_P95_MS && done === TASKS,
          note: scenario,
        },
      ] satisfies BenchRow[];
    } finally {
      await queue.close();
    }
  },
} satisfies BenchCase;
