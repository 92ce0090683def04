import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { RunCancelled, RunStop } from '../../../src/core/errors';
import { createLimiter, runWaves } from '../../../src/core/pipeline/kernel/waves';

test('limiter: never more than `concurrency` tasks in flight, all of them run', async () => {
  const limit = createLimiter(2);
  let active = 0;
  let peak = 0;
  const done: number[] = [];
  await Promise.all(
    [1, 2, 3, 4, 5].map((n) =>
      limit(async () => {
        active++;
        peak = Math.max(peak, active);
        await sleep(5);
        active--;
        done.push(n);
      }),
    ),
  );
  assert.equal(peak, 2);
  assert.deepEqual(done.sort(), [1, 2, 3, 4, 5]);
});

test('waves: a failing layer lets its siblings finish, stops later waves, and cancellation outranks a stop', async () => {
  const ran: string[] = [];
  const waves = [['database', 'backend'], ['frontend']];
  await assert.rejects(
    runWaves(waves, createLimiter(3), { onWave: () => undefined }, async (layer) => {
      ran.push(layer);
      if (layer === 'database') throw new RunStop('validation', 'db failed', 'report');
      await sleep(5);
      if (layer === 'backend') throw new RunCancelled();
    }),
    RunCancelled,
  );
  assert.deepEqual(ran, ['database', 'backend']);
});
