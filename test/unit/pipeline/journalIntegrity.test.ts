// Journal integrity (issue 8, point 8): on resume, a layer whose files changed since its
// recorded validation, or whose "validation passed" line is forged, is validated again
// instead of being skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { engine } from '../../../src/core/engine';
import { reply } from '../../support/messagesApiServer';
import { say, specAnswer, writesThenDone } from '../../support/engine/agentScript';
import {
  BROKEN_PRODUCT_MODULE,
  PRODUCT_MIGRATION,
  PRODUCT_MODULE,
  PRODUCT_SCREEN,
  PRODUCT_SPEC,
} from '../../support/engine/fixtures';
import { harness, journalOf } from '../../support/engine/harness';
import { withLimit } from '../../support/engine/shopWorkspace';

const MODULE = 'server/entities/product.js';

test('a forged validation.passed appended to the journal does not skip validation on resume', async () => {
  const h = await harness(
    {
      spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
      database: writesThenDone({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }),
      backend: writesThenDone({ [MODULE]: BROKEN_PRODUCT_MODULE }),
      frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
      review: () => say.approve(),
    },
    { config: withLimit('maxRetries', 0) },
  );
  try {
    const stopped = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(stopped.status, 'stopped');
    const journal = journalOf(h.shop, stopped.runId);
    const passed = journal.find((e) => e.type === 'validation.passed' && e.layer === 'database')!;
    // Forged: a bare line, and one carrying a hash copied from another layer's real line.
    let seq = journal.at(-1)!.seq;
    const forge = (extra: Record<string, unknown>) =>
      appendFileSync(
        join(h.shop.dir, `.claude/runs/${stopped.runId}/events.jsonl`),
        `${JSON.stringify({ seq: ++seq, ts: new Date().toISOString(), type: 'validation.passed', layer: 'backend', ...extra })}\n`,
      );
    forge({});
    forge({ filesHash: passed.filesHash });

    const resumed = await engine.resumeRun(stopped.runId, h.options());
    assert.equal(resumed.status, 'stopped', 'the broken backend was taken as validated');
    assert.match(resumed.report ?? '', /validation failed[\s\S]*server\/entities\/product\.js:\d+: SyntaxError/);
    const after = journalOf(h.shop, stopped.runId).filter((e) => e.seq > seq);
    assert.ok(
      after.some((e) => e.type === 'validation.started' && e.layer === 'backend'),
      'backend was not validated again',
    );
    assert.ok(
      after.some(
        (e) => e.type === 'log' && /backend: its files changed since its validation passed/.test(String(e.message)),
      ),
    );
    assert.ok(
      !after.some((e) => e.type === 'validation.started' && e.layer === 'database'),
      'an intact validation is still trusted',
    );
    assert.equal(h.callsOf('frontend').length, 0);
    assert.equal(h.callsOf('review').length, 0);
  } finally {
    await h.close();
  }
});

test('a layer whose files were changed after its validation passed is validated again on resume, and fixed', async () => {
  let heldFrontend = true;
  const h = await harness({
    spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
    database: writesThenDone({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }),
    backend: ({ turn, attempt }) => {
      if (attempt === 1) return writesThenDone({ [MODULE]: PRODUCT_MODULE })({ turn } as never);
      return turn === 0 ? say.write({ [MODULE]: PRODUCT_MODULE }) : say.done('Fixed the syntax error.');
    },
    frontend: ({ turn }) => {
      if (heldFrontend) {
        heldFrontend = false;
        return reply.slow(say.write({ 'web/src/products.js': PRODUCT_SCREEN }), { beforeMs: 60_000 });
      }
      return writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN })({ turn } as never);
    },
    review: () => say.approve(),
  });
  try {
    const controller = new AbortController();
    const running = engine.runFeature(
      'Add a Product entity with name and price',
      h.options({ signal: controller.signal }),
    );
    for (let i = 0; i < 800 && h.callsOf('frontend').length === 0; i++) await sleep(25);
    controller.abort();
    const cancelled = await running;
    assert.equal(cancelled.status, 'cancelled');
    assert.ok(journalOf(h.shop, cancelled.runId).some((e) => e.type === 'validation.passed' && e.layer === 'backend'));

    // After the validation passed, the file is broken behind the journal's back.
    h.shop.write(MODULE, BROKEN_PRODUCT_MODULE);
    const resumed = await engine.resumeRun(cancelled.runId, h.options());
    assert.equal(resumed.status, 'completed', resumed.error);
    const retry = h.callsOf('backend').find((c) => c.turn === 0 && /RETRY MODE/.test(c.task));
    assert.ok(retry, 'the backend was not sent back to fix its broken file');
    assert.match(retry.task, /server\/entities\/product\.js:\d+: SyntaxError/);
    assert.equal(h.shop.read(MODULE), PRODUCT_MODULE);
    assert.deepEqual(resumed.retries.backend, 1);
  } finally {
    await h.close();
  }
});
