import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFeature } from '../../../src/core/engine';
import { say, specAnswer } from './support/agentScript';
import { BROKEN_PRODUCT_MODULE, PRODUCT_API_SPEC, PRODUCT_MODULE } from './support/fixtures';
import { harness, journalOf } from './support/harness';

const MODULE = 'server/entities/product.js';

test('validate & retry: a build that fails once passes on the retry, which carries the error output', async () => {
  const h = await harness({
    spec: specAnswer('Product API', 'product-api', PRODUCT_API_SPEC),
    backend: ({ turn, attempt }) => {
      if (turn > 0) return say.done();
      return say.write({ [MODULE]: attempt === 1 ? BROKEN_PRODUCT_MODULE : PRODUCT_MODULE });
    },
    review: () => say.approve(),
  });
  try {
    const summary = await runFeature('Add a Product entity to the API', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.deepEqual(summary.retries, { backend: 1 });

    const retry = h.callsOf('backend').find((c) => c.attempt === 2 && c.turn === 0)!;
    assert.match(retry.task, /## RETRY MODE/);
    assert.match(retry.task, /Attempt 1 of 2/);
    assert.match(retry.task, /node server\/build\.js/);
    // The exact error the orchestrator's own build run printed: file, line and message.
    assert.match(retry.task, /server\/entities\/product\.js:\d+: SyntaxError/);
    assert.equal(h.shop.read(MODULE), PRODUCT_MODULE);

    const types = journalOf(h.shop, summary.runId).map((e) => e.type);
    const failed = types.indexOf('validation.failed');
    assert.ok(failed > 0 && types.indexOf('retry') > failed && types.lastIndexOf('validation.passed') > types.indexOf('retry'));
  } finally {
    await h.close();
  }
});

test('validate & retry: three failures stop the run with the seed report; later layers never start', async () => {
  const h = await harness({
    spec: specAnswer('Product API', 'product-api', PRODUCT_API_SPEC.replace('#### Backend', '#### Frontend\n- [ ] web/src/products.js: list\n\n#### Backend')),
    backend: ({ turn }) => (turn === 0 ? say.write({ [MODULE]: BROKEN_PRODUCT_MODULE }) : say.done()),
    frontend: () => {
      throw new Error('the frontend must not run after backend validation is exhausted');
    },
  });
  try {
    const summary = await runFeature('Add a Product entity to the API', h.options());
    assert.equal(summary.status, 'stopped');
    assert.deepEqual(summary.retries, { backend: 2 });
    assert.equal(h.callsOf('backend').filter((c) => c.turn === 0).length, 3, 'first attempt and two retries');
    assert.equal(h.callsOf('frontend').length, 0);
    assert.match(summary.report!, /^## Pipeline stopped: validation failed\n### Agent: backend\n- Retries exhausted: 2\/2\n/);
    assert.match(summary.report!, /- Last error:\n```\n[\s\S]*server\/entities\/product\.js:\d+: SyntaxError/);
    assert.match(summary.report!, /### Action needed\nManual intervention needed/);
    assert.match(summary.error!, /validation of backend failed after 2\/2 retries/);

    const events = journalOf(h.shop, summary.runId);
    assert.equal(events.at(-1)!.type, 'run.stopped');
    assert.equal(events.filter((e) => e.type === 'run.completed').length, 0);
    assert.match(h.shop.read(summary.specPath!), /status: stopped/);
  } finally {
    await h.close();
  }
});
