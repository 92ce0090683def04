import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { reply } from '../../support/messagesApiServer';
import { say, specAnswer, type AgentScript } from '../../support/engine/agentScript';
import { PRODUCT_MODULE, PRODUCT_SCREEN, SCREEN_SPEC } from '../../support/engine/fixtures';
import { harness, journalOf } from '../../support/engine/harness';

// Only the frontend has work (SCREEN_SPEC); the endpoint it calls does not exist yet (web/typecheck.js
// checks that every /api/<path> the web uses is served by a backend entity).
const REQUEST =
  'GET /api/products returning [{id, name, price}] (a Product entity module at server/entities/product.js)';
const blocked = (request = REQUEST) =>
  reply.toolUse('submit_result', {
    status: 'blocked',
    summary: 'The backend serves no /api/products.',
    needs: { layer: 'backend', request },
  });

/** Blocks on the backend at first; once the block is resolved, writes the screen. */
const blockingFrontend: AgentScript = ({ turn, task }) => {
  if (!task.includes('BLOCK RESOLVED')) return blocked();
  return turn === 0 ? say.write({ 'web/src/products.js': PRODUCT_SCREEN }) : say.done();
};

const agents = (frontend: AgentScript, backend: AgentScript): Record<string, AgentScript> => ({
  spec: specAnswer('Product list screen', 'product-list-screen', SCREEN_SPEC),
  frontend,
  backend,
  review: () => say.approve(),
});

test('blocks: the frontend blocks on a backend endpoint, the backend adds it in FIX mode and is validated, the frontend continues in its conversation, the run completes', async () => {
  const h = await harness(
    agents(blockingFrontend, ({ turn }) =>
      turn === 0
        ? say.write({ 'server/entities/product.js': PRODUCT_MODULE })
        : say.done('Added server/entities/product.js: GET /api/products returns [{id, name, price}].'),
    ),
  );
  try {
    const summary = await engine.runFeature('A screen listing products', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.equal(h.shop.read('web/src/products.js'), PRODUCT_SCREEN);
    assert.equal(h.shop.read('server/entities/product.js'), PRODUCT_MODULE);

    const backend = h.callsOf('backend')[0]!;
    assert.match(backend.task, /^## BLOCK FIX MODE — FRONTEND IS BLOCKED ON YOUR LAYER/);
    assert.ok(backend.task.includes(REQUEST));
    const continued = h.callsOf('frontend').find((c) => c.task.includes('BLOCK RESOLVED'))!;
    assert.equal(continued.continued, true, 'the frontend continued its own conversation');
    assert.match(continued.task, /GET \/api\/products returns \[\{id, name, price\}\]/);
    assert.match(continued.task, /- server\/entities\/product\.js/);

    const events = journalOf(h.shop, summary.runId);
    const at = (predicate: (e: (typeof events)[number]) => boolean) => events.findIndex(predicate);
    const reported = at((e) => e.type === 'block.reported');
    const fixStarted = at((e) => e.type === 'agent.started' && e.agent === 'backend');
    const backendValid = at((e) => e.type === 'validation.passed' && e.layer === 'backend');
    const resolved = at((e) => e.type === 'block.resolved');
    const frontendValid = at((e) => e.type === 'validation.passed' && e.layer === 'frontend');
    assert.ok(
      reported >= 0 &&
        reported < fixStarted &&
        fixStarted < backendValid &&
        backendValid < resolved &&
        resolved < frontendValid,
      JSON.stringify({ reported, fixStarted, backendValid, resolved, frontendValid }),
    );
    assert.deepEqual(
      { ...events[reported], seq: 0, ts: '' },
      { seq: 0, ts: '', type: 'block.reported', block: 1, from: 'frontend', to: 'backend', request: REQUEST },
    );
    assert.equal(events[fixStarted]!.mode, 'unblock');
    assert.deepEqual(events[resolved]!.files, ['server/entities/product.js']);
    assert.equal(h.host.ofType('validation.failed').length, 0);
  } finally {
    await h.close();
  }
});

test('blocks: a cycle (frontend needs backend needs frontend) stops the run with a report naming both layers', async () => {
  const h = await harness(
    agents(blockingFrontend, () =>
      reply.toolUse('submit_result', {
        status: 'blocked',
        summary: 'I need the screen first.',
        needs: { layer: 'frontend', request: 'the products screen in web/src/products.js' },
      }),
    ),
  );
  try {
    const summary = await engine.runFeature('A screen listing products', h.options());
    assert.equal(summary.status, 'stopped');
    assert.match(
      summary.error!,
      /frontend and backend are blocked on each other|backend and frontend are blocked on each other/,
    );
    assert.match(
      summary.report!,
      /### Blocked in a cycle\n- backend needs frontend: the products screen in web\/src\/products\.js\n- frontend needs backend: GET \/api\/products/,
    );
    assert.equal(h.host.ofType('block.resolved').length, 0);
    assert.equal(h.callsOf('backend').filter((c) => c.turn === 0).length, 1, 'the cycle stopped at once');
  } finally {
    await h.close();
  }
});

test('blocks: limits.maxBlocks caps the resolutions; raised, resume resolves the open block mid-run and completes', async () => {
  let frontendBlocks = 0;
  const frontend: AgentScript = ({ turn, task }) => {
    // Blocks twice: on the endpoint, then on a field of it.
    if (turn === 0 && !task.includes('BLOCK RESOLVED')) return blocked();
    if (turn === 0 && frontendBlocks++ === 0)
      return blocked('GET /api/products must also return the price as a number');
    return turn === 0 ? say.write({ 'web/src/products.js': PRODUCT_SCREEN }) : say.done();
  };
  const backend: AgentScript = ({ turn }) =>
    turn === 0
      ? say.write({ 'server/entities/product.js': PRODUCT_MODULE })
      : say.done('GET /api/products serves {id, name, price}; price is a number.');
  const h = await harness(agents(frontend, backend));
  try {
    h.shop.write(
      '.claude/orchestrator.yaml',
      h.shop
        .read('.claude/orchestrator.yaml')
        .replace('  commandTimeoutSec: 600', '  commandTimeoutSec: 600\n  maxBlocks: 1'),
    );
    const stopped = await engine.runFeature('A screen listing products', h.options());
    assert.equal(stopped.status, 'stopped');
    assert.match(stopped.report!, /- Needs: backend — GET \/api\/products must also return the price as a number/);
    assert.match(stopped.report!, /Blocks resolved in this run: 1 of 1 \(limits\.maxBlocks\)/);
    assert.equal(h.host.ofType('block.reported').length, 2);
    assert.equal(h.host.ofType('block.resolved').length, 1);

    h.shop.write(
      '.claude/orchestrator.yaml',
      h.shop.read('.claude/orchestrator.yaml').replace('maxBlocks: 1', 'maxBlocks: 2'),
    );
    const done = await engine.resumeRun(undefined, h.options());
    assert.equal(done.status, 'completed', done.error);
    assert.equal(done.runId, stopped.runId);
    const resolved = h.host.ofType('block.resolved');
    assert.deepEqual(
      resolved.map((r) => r.block),
      [1, 2],
    );
    // The resumed frontend starts afresh (its conversation died with the process) with the answer in its task.
    const resumed = h.callsOf('frontend').at(-2)!;
    assert.match(resumed.task, /^## BLOCK RESOLVED — CONTINUE[\s\S]*price is a number[\s\S]*## RESUMED/);
    assert.equal(h.shop.read('web/src/products.js'), PRODUCT_SCREEN);
  } finally {
    await h.close();
  }
});
