import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startMessagesApiServer } from '../../support/messagesApiServer';
import { pipelineScript, say } from '../../support/engine/agentScript';
import {
  BROKEN_PRODUCT_MODULE,
  PRODUCT_MIGRATION,
  PRODUCT_MODULE,
  PRODUCT_SCREEN,
  PRODUCT_SPEC,
} from '../../support/engine/fixtures';
import { makeShop, withLimit } from '../../support/engine/shopWorkspace';
import { buildCli, jsonOf, runCli } from '../../support/cli/cliKit';

buildCli();

const AMENDED = PRODUCT_SPEC.replace(
  'Add a Product entity (name, price)',
  'Add a Product entity (name, price; the price must be above zero)',
)
  .replace('a price >= 0 to /api/products', 'a price > 0 to /api/products')
  .replace('not a number >= 0', 'not a number > 0');

test('cli: change <runId> "<request>" on a stopped run without --approve declines the amendment (the approved spec stays); with --approve the run resumes with it and completes; usage and state errors exit 2', async () => {
  const shop = makeShop({ config: withLimit('maxRetries', 0) });
  const scripted = pipelineScript({
    spec: ({ task }) =>
      say.spec('Product entity', 'product-entity', task.includes('CHANGE REQUEST') ? AMENDED : PRODUCT_SPEC),
    database: ({ turn }) =>
      turn === 0 ? say.write({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }) : say.done(),
    backend: ({ turn, task }) =>
      turn > 0
        ? say.done()
        : say.write({
            'server/entities/product.js': task.includes('AMENDED')
              ? PRODUCT_MODULE.replace('input.price < 0', 'input.price <= 0')
              : BROKEN_PRODUCT_MODULE,
          }),
    frontend: ({ turn }) => (turn === 0 ? say.write({ 'web/src/products.js': PRODUCT_SCREEN }) : say.done()),
    review: () => say.approve(),
  });
  const api = await startMessagesApiServer(scripted.script);
  const cli = (...args: string[]) => runCli(args, { cwd: shop.dir, baseURL: api.url });
  try {
    const stopped = jsonOf(await cli('feature', 'Add a Product entity with name and price', '--approve', '--json'));
    assert.equal(stopped.status, 'stopped');
    const runId = String(stopped.runId);
    const specPath = String(stopped.specPath);

    const declined = await cli('change', runId, 'Prices must be above zero', '--json');
    assert.match(
      declined.stderr,
      /change chg-\S+ declined \(the amendment was not approved\); the approved spec stays/,
    );
    assert.doesNotMatch(shop.read(specPath), /price > 0/, 'the approved text is back');
    assert.equal(jsonOf(declined).status, 'stopped', 'without the amendment the backend still fails');

    const applied = await cli('change', runId, 'Prices must be above zero', '--approve', '--json');
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal(jsonOf(applied).status, 'completed');
    assert.match(
      applied.stderr,
      /amendment approved: spec \S+ v\d; requirements changed: REQ-1; layers to run again: database, backend/,
    );
    assert.match(shop.read(String(jsonOf(applied).specPath)), /price > 0[\s\S]*## History\n- v1 /);

    const done = await cli('change', runId, 'One more');
    assert.equal(done.code, 2);
    assert.match(done.stderr, /completed: its spec is archived/);
    assert.match((await cli('change', runId)).stderr, /change needs a run id and one quoted request/);
    assert.equal((await cli('change', 'no-such-run', 'x')).code, 2);
  } finally {
    await api.close();
    shop.cleanup();
  }
});
