// A layer with `runner: external` (seed 004): its spec work becomes a queue task, an outside
// agent claims and submits it, a human approves it, and the run goes on; cancelled while it
// waits, the run resumes waiting on the same task.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { engine } from '../../../src/core/engine';
import { loadConfig } from '../../../src/core/project/config/config';
import { QueueService } from '../../../src/core/queue/queueService';
import { queueDbPath } from '../../../src/core/queue/openStore';
import { SqliteQueueStore } from '../../../src/core/queue/sqliteStore';
import type { Task } from '../../../src/core/queue/types';
import { productAgents } from '../../support/engine/agentScript';
import { PRODUCT_MODULE } from '../../support/engine/fixtures';
import { harness, journalOf } from '../../support/engine/harness';

/** The backend is external: no agent of ours does it. */
const agents = () => {
  const { backend: _external, ...ours } = productAgents();
  return ours;
};
const externalBackend = (yaml: string) => yaml.replace(/(\n {2}backend:\n)/, '$1    runner: external\n');

async function queueOf(dir: string): Promise<QueueService> {
  const store = new SqliteQueueStore(queueDbPath(dir));
  await store.open();
  return new QueueService({ workspace: dir, config: await loadConfig(dir), store, trusted: true });
}

async function taskFor(queue: QueueService, layer: string): Promise<Task> {
  for (const end = Date.now() + 30_000; Date.now() < end; await sleep(100)) {
    const task = (await queue.listTasks()).find((t) => t.layer === layer);
    if (task) return task;
  }
  throw new Error(`no queue task for ${layer}`);
}

test("runner: external — the backend's work goes to the queue; an outside agent's approved artifact completes the layer and the run", async () => {
  const h = await harness(agents(), { config: externalBackend });
  const queue = await queueOf(h.shop.dir);
  try {
    const running = engine.runFeature('Add a Product entity with name and price', h.options());
    const task = await taskFor(queue, 'backend');
    assert.equal(task.source, 'spec');
    assert.match(task.description, /server\/\*\*/, "the layer's owns");
    assert.match(task.description, /node scripts\/check-server\.js server/, "the layer's validation");
    await queue.claim(task.id, 'copilot');
    await queue.submitArtifact(
      { task_id: task.id, type: 'code', path: 'server/entities/product.js', content: PRODUCT_MODULE },
      'copilot',
    );
    const outcome = await queue.review({ taskId: task.id, verdict: 'approved', reviewer: 'ana' });
    assert.deepEqual(outcome.files, ['server/entities/product.js']);
    const summary = await running;
    assert.equal(summary.status, 'completed', summary.error);
    assert.equal(h.shop.read('server/entities/product.js'), PRODUCT_MODULE);
    assert.ok(!h.calls.some((c) => c.agent === 'backend'), 'our backend agent was never called');
    const events = journalOf(h.shop, summary.runId);
    assert.deepEqual(
      events.filter((e) => e.type === 'queue.task').map((e) => [e.layer, e.taskId]),
      [['backend', task.id]],
    );
    assert.match(
      String(events.find((e) => e.type === 'agent.completed' && e.agent === 'backend')?.summary),
      /done through the task queue: t-\w+, by copilot/,
    );
  } finally {
    await queue.close();
    await h.close();
  }
});

test('runner: external — a run cancelled while it waits resumes waiting on the same task, and completes once it is approved', async () => {
  const h = await harness(agents(), { config: externalBackend });
  const queue = await queueOf(h.shop.dir);
  try {
    const controller = new AbortController();
    const running = engine.runFeature(
      'Add a Product entity with name and price',
      h.options({ signal: controller.signal }),
    );
    const task = await taskFor(queue, 'backend');
    controller.abort();
    const stopped = await running;
    assert.notEqual(stopped.status, 'completed');
    await queue.claim(task.id, 'claude-code');
    await queue.submitArtifact(
      { task_id: task.id, type: 'code', path: 'server/entities/product.js', content: PRODUCT_MODULE },
      'claude-code',
    );
    await queue.review({ taskId: task.id, verdict: 'approved', reviewer: 'ana' });
    const resumed = await engine.resumeRun(stopped.runId, h.options());
    assert.equal(resumed.status, 'completed', resumed.error);
    assert.equal((await queue.listTasks()).length, 1, 'no second task');
  } finally {
    await queue.close();
    await h.close();
  }
});
