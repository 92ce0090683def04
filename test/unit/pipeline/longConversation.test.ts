// A layer agent that reads large files (issue 8 point 10): the conversation outgrows the
// model's context window, is compacted instead of dying on "prompt is too long", and a resumed
// run whose agent reads the same files again does not die the same way either.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { engine } from '../../../src/core/engine';
import { reply } from '../../support/messagesApiServer';
import { say, specAnswer, writesThenDone, type AgentScript } from '../../support/engine/agentScript';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { harness, journalOf } from '../../support/engine/harness';

/** ~16k tokens of generated catalog data, as the test server counts them. */
const catalog = (n: number) =>
  `// Generated catalog ${n}\nmodule.exports = [\n` +
  `  { sku: "SKU-${n}", name: "A product with a long enough name", price: 12.5 },\n`.repeat(700) +
  '];\n';
const files = { 'server/data/catalog1.js': catalog(1), 'server/data/catalog2.js': catalog(2) };

/** The backend reads both catalogs, then writes its module and reports done. */
const backendReading =
  (hold?: { first: boolean }): AgentScript =>
  ({ turn }) => {
    if (turn === 0) return reply.toolUse('read_file', { path: 'server/data/catalog1.js' });
    if (turn === 1) {
      if (hold?.first) {
        hold.first = false;
        return reply.slow(reply.toolUse('read_file', { path: 'server/data/catalog2.js' }), { beforeMs: 60_000 });
      }
      return reply.toolUse('read_file', { path: 'server/data/catalog2.js' });
    }
    if (turn === 2) return say.write({ 'server/entities/product.js': PRODUCT_MODULE });
    return say.done();
  };

const agents = (backend: AgentScript) => ({
  spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
  database: writesThenDone({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }),
  backend,
  frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
  review: () => say.approve(),
});

// The model takes 30k tokens: the two catalogs together do not fit (the client believes 200k).
const WINDOW = { contextWindow: 30_000 };

test('an agent that reads large files is compacted, not killed, by "prompt is too long"', async () => {
  const h = await harness(agents(backendReading()), { files }, WINDOW);
  try {
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    const journal = journalOf(h.shop, summary.runId);
    const compacted = journal.filter((e) => e.type === 'llm.compacted');
    assert.ok(compacted.some((e) => e.agent === 'backend' && e.reason === 'too-long'));
    assert.ok(compacted.every((e) => (e.tokensAfter as number) < WINDOW.contextWindow));
    assert.deepEqual(summary.filesChanged, [
      'db/migrations/003_create_product.sql',
      'server/entities/product.js',
      'web/src/products.js',
    ]);
  } finally {
    await h.close();
  }
});

test('a resumed agent reading the same large files does not die the same way', async () => {
  const hold = { first: true };
  const h = await harness(agents(backendReading(hold)), { files }, WINDOW);
  try {
    const controller = new AbortController();
    const running = engine.runFeature(
      'Add a Product entity with name and price',
      h.options({ signal: controller.signal }),
    );
    for (let i = 0; i < 400 && h.callsOf('backend').length < 2; i++) await sleep(25);
    controller.abort();
    assert.equal((await running).status, 'cancelled');

    const resumed = await engine.resumeRun(undefined, h.options());
    assert.equal(resumed.status, 'completed', resumed.error);
    const fresh = h.callsOf('backend').filter((c) => c.turn === 0);
    assert.equal(fresh.length, 2, 'the resumed agent started over and read the catalogs again');
    assert.ok(h.host.ofType('llm.compacted').some((e) => e.agent === 'backend'));
  } finally {
    await h.close();
  }
});
