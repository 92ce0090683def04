import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { engine } from '../../../src/core/engine';
import { reply } from '../../support/messagesApiServer';
import { say, specAnswer, writesThenDone } from '../../support/engine/agentScript';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { harness, journalOf } from '../../support/engine/harness';
import type { TestHost } from '../../support/engine/testHost';

async function until(host: TestHost, test: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (test()) return;
    await sleep(25);
  }
  throw new Error(
    `timed out waiting for ${what}; last events: ${host.events
      .slice(-5)
      .map((e) => e.type)
      .join(', ')}`,
  );
}

test('cancel during IMPLEMENT, then resume: finished layers are not called again, the run completes', async () => {
  let firstBackend = true;
  const h = await harness({
    spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
    database: writesThenDone({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }),
    backend: ({ turn }) => {
      if (turn === 0 && firstBackend) {
        firstBackend = false;
        // Held until the client goes away: the run is cancelled while backend is in flight.
        return reply.slow(say.write({ 'server/entities/product.js': PRODUCT_MODULE }), { beforeMs: 60_000 });
      }
      return writesThenDone({ 'server/entities/product.js': PRODUCT_MODULE })({ turn } as never);
    },
    frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
    review: () => say.approve(),
  });
  try {
    const controller = new AbortController();
    const running = engine.runFeature(
      'Add a Product entity with name and price',
      h.options({ signal: controller.signal }),
    );
    await until(
      h.host,
      () => h.host.ofType('validation.passed').some((e) => e.layer === 'database') && h.callsOf('backend').length === 1,
      'database done, backend in flight',
    );
    controller.abort();
    const cancelled = await running;
    assert.equal(cancelled.status, 'cancelled');
    const journal = journalOf(h.shop, cancelled.runId);
    assert.ok(
      !journal.some((e) => e.type === 'run.completed' || e.type === 'run.stopped'),
      'the journal stays resumable',
    );
    assert.equal((await engine.listRuns(h.shop.dir))[0]!.status, 'interrupted');

    const databaseCalls = h.callsOf('database').length;
    const resumed = await engine.resumeRun(undefined, h.options());
    assert.equal(resumed.status, 'completed', resumed.error);
    assert.equal(resumed.runId, cancelled.runId);
    assert.equal(h.callsOf('database').length, databaseCalls, 'the finished database layer was never called again');
    assert.equal(h.callsOf('spec').length, 1, 'the approved spec was reused');
    const again = h.callsOf('backend').filter((c) => c.turn === 0);
    assert.equal(again.length, 2);
    assert.match(again[1]!.task, /## RESUMED/);
    assert.deepEqual(
      resumed.phases.map((p) => p.name),
      ['SYNC', 'UNDERSTAND', 'SPEC', 'CHECKPOINT', 'IMPLEMENT', 'REVIEW', 'COMPLETE'],
    );
    assert.deepEqual(resumed.filesChanged, [
      'db/migrations/003_create_product.sql',
      'server/entities/product.js',
      'web/src/products.js',
    ]);
    const events = journalOf(h.shop, resumed.runId);
    assert.equal(events.filter((e) => e.type === 'checkpoint.created').length, 1, 'the checkpoint is reused');
    assert.equal(events.filter((e) => e.type === 'run.started').length, 2);
    assert.equal(events.at(-1)!.type, 'run.completed');

    await assert.rejects(
      engine.resumeRun(resumed.runId, h.options()),
      (error: Error & { code?: string }) =>
        error.code === 'E_USAGE' && /already finished \(completed\)/.test(error.message),
    );
  } finally {
    await h.close();
  }
});

test('resume after a validation stop: a human fixed the file, validation is re-run before any agent', async () => {
  const broken = PRODUCT_MODULE.replace('function list() {', 'function list( {');
  const h = await harness({
    spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
    database: writesThenDone({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }),
    backend: writesThenDone({ 'server/entities/product.js': broken }),
    frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
    review: () => say.approve(),
  });
  try {
    const stopped = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(stopped.status, 'stopped');
    const backendCalls = h.callsOf('backend').length;
    h.shop.write('server/entities/product.js', PRODUCT_MODULE);
    const resumed = await engine.resumeRun(stopped.runId, h.options());
    assert.equal(resumed.status, 'completed', resumed.error);
    assert.equal(
      h.callsOf('backend').length,
      backendCalls,
      'validation passed without calling the backend agent again',
    );
    assert.equal(h.callsOf('database').filter((c) => c.turn === 0).length, 1);
  } finally {
    await h.close();
  }
});
