// API weather over a whole run (docs/pipeline.md "API weather"; issue 8 point 9): bursts of 429/529
// are waited out, a storm longer than limits.apiRetryWindowSec stops the run resumably, a
// wait is cancellable, and a wave does not stall behind a sibling whose calls are failing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { engine } from '../../../src/core/engine';
import { fault, type Scripted } from '../../support/messagesApiServer';
import { say, specAnswer, writesThenDone, type AgentCall, type AgentScript } from '../../support/engine/agentScript';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { harness, journalOf } from '../../support/engine/harness';
import { withLimit } from '../../support/engine/shopWorkspace';

const overloaded = (retryAfterSeconds?: number): Scripted =>
  retryAfterSeconds === undefined
    ? fault.overloaded()
    : fault.httpError(529, 'overloaded_error', 'Overloaded', { 'retry-after': String(retryAfterSeconds) });

/** `faults` answer the agent's first requests, then `work` answers as usual. */
function stormThen(faults: (Scripted | (() => Scripted))[], work: AgentScript): AgentScript & { calls: number } {
  const script = Object.assign(
    (call: AgentCall) => {
      const next = faults[script.calls++];
      if (next) return typeof next === 'function' ? next() : next;
      return work(call);
    },
    { calls: 0 },
  );
  return script;
}

const product = (backend: AgentScript) => ({
  spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
  database: writesThenDone({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }),
  backend,
  frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
  review: () => say.approve(),
});
const backendWork = writesThenDone({ 'server/entities/product.js': PRODUCT_MODULE });

test('two 429s and a 529 within about 1.5 s no longer stop a run; failed calls cost nothing', async () => {
  const h = await harness(
    product(
      stormThen(
        [fault.rateLimit({ retryAfterMs: 300 }), fault.rateLimit({ retryAfterSeconds: 0.5 }), overloaded()],
        backendWork,
      ),
    ),
  );
  try {
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    const journal = journalOf(h.shop, summary.runId);
    const waits = journal.filter((e) => e.type === 'llm.waiting');
    assert.deepEqual(
      waits.map((e) => [e.agent, e.kind, e.attempt]),
      [
        ['backend', 'rate-limit', 1],
        ['backend', 'rate-limit', 2],
        ['backend', 'overloaded', 3],
      ],
    );
    assert.deepEqual(
      journal.filter((e) => e.type === 'llm.recovered').map((e) => [e.agent, e.attempts]),
      [['backend', 4]],
    );
    const usages = journal.filter((e) => e.type === 'llm.usage');
    assert.equal(
      usages.filter((e) => e.agent === 'backend').length,
      2,
      'one usage per answered call: the failed ones are not counted',
    );
    const total = usages.reduce((sum, e) => sum + (e.costUsd as number), 0);
    assert.ok(Math.abs(total - summary.costUsd) < 1e-9);
    assert.ok(h.host.ofType('llm.waiting').length === 3, 'the host saw every wait');
  } finally {
    await h.close();
  }
});

test('five 529s with retry-after: 1 do not stop a run either', async () => {
  const h = await harness(
    product(
      stormThen(
        [1, 1, 1, 1, 1].map((s) => overloaded(s)),
        backendWork,
      ),
    ),
  );
  try {
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    const waits = h.host.ofType('llm.waiting');
    assert.equal(waits.length, 5);
    assert.ok(waits.every((w) => w.retryInMs >= 1000));
  } finally {
    await h.close();
  }
});

test('a storm longer than limits.apiRetryWindowSec stops the run resumably; resume finishes it', async () => {
  let storm = true;
  const backend = stormThen([], (call) => (storm ? overloaded() : backendWork(call)));
  const h = await harness(product(backend), { config: withLimit('apiRetryWindowSec', 1) });
  try {
    const stopped = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(stopped.status, 'stopped');
    assert.match(
      stopped.report!,
      /^## Pipeline stopped: the API is unavailable\n### Agent: backend\n- Waited: the whole retry window \(limits\.apiRetryWindowSec: 1 s\)\n- Last error: overloaded \((529|503)\): still failing after/,
    );
    assert.match(stopped.report!, /run `orchestrator resume` once the API answers again/);
    assert.ok(h.callsOf('backend').length >= 2, 'it was retried before giving up');
    const journal = journalOf(h.shop, stopped.runId);
    assert.deepEqual(
      journal.filter((e) => e.type === 'run.stopped').map((e) => e.reason),
      ['api'],
    );
    assert.ok(
      journal.some((e) => e.type === 'validation.passed' && e.layer === 'database'),
      'the sibling finished its work meanwhile',
    );

    storm = false;
    const databaseCalls = h.callsOf('database').length;
    const resumed = await engine.resumeRun(undefined, h.options());
    assert.equal(resumed.runId, stopped.runId, 'plain resume continues the stopped run');
    assert.equal(resumed.status, 'completed', resumed.error);
    assert.equal(h.callsOf('database').length, databaseCalls, 'the finished database layer is not run again');
    assert.deepEqual(resumed.filesChanged, [
      'db/migrations/003_create_product.sql',
      'server/entities/product.js',
      'web/src/products.js',
    ]);
  } finally {
    await h.close();
  }
});

test('cancel during a wait ends the run at once, resumably', async () => {
  const h = await harness(product(stormThen([fault.rateLimit({ retryAfterSeconds: 300 })], backendWork)));
  const controller = new AbortController();
  const running = engine.runFeature(
    'Add a Product entity with name and price',
    h.options({ signal: controller.signal }),
  );
  try {
    // A loaded machine may take a while to reach the backend's first call: wait for the wait.
    for (let i = 0; i < 2400 && h.host.ofType('llm.waiting').length === 0; i++) await sleep(25);
    assert.equal(h.host.ofType('llm.waiting')[0]?.retryInMs !== undefined, true, 'the backend waits');
    const cancelledAt = Date.now();
    controller.abort();
    const cancelled = await running;
    assert.equal(cancelled.status, 'cancelled');
    assert.ok(Date.now() - cancelledAt < 10_000, 'not after the 300 s retry-after');
    const backendCalls = h.callsOf('backend').length;
    assert.equal(backendCalls, 1, 'no request after the cancel');

    const resumed = await engine.resumeRun(undefined, h.options());
    assert.equal(resumed.status, 'completed', resumed.error);
  } finally {
    // A failed assertion must not leave the run sleeping out its 300 s retry-after.
    controller.abort();
    await running.catch(() => undefined);
    await h.close();
  }
});

test('a wave does not stall behind a sibling whose calls are failing', async () => {
  // backend leads wave 1 on the prompt cache (frontend waits for it); its calls fail (529,
  // retry-after 2 s, then 1 s) until database has passed its validation, at most 20 times: on a machine
  // however loaded, database finishes while backend still fails, unless it waits for the leader.
  const databaseValidated = (): boolean =>
    h.host.events.some((e) => e.type === 'validation.passed' && e.layer === 'database');
  let failures = 0;
  const backend: AgentScript = (call) => {
    if (failures === 0 || (!databaseValidated() && failures < 20)) {
      // The first wait is longer: database's first request comes before backend's retry.
      return overloaded(failures++ === 0 ? 2 : 1);
    }
    return backendWork(call);
  };
  const h = await harness(product(backend));
  try {
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    const [firstBackend, secondBackend] = h.callsOf('backend');
    const firstDatabase = h.callsOf('database')[0]!;
    assert.ok(firstDatabase.req.time >= firstBackend!.req.time, 'the leader went first');
    assert.ok(
      firstDatabase.req.time < secondBackend!.req.time,
      'database did not wait for the failing leader to recover',
    );
    const events = h.host.events;
    const databaseDone = events.findIndex((e) => e.type === 'validation.passed' && e.layer === 'database');
    const backendRecovered = events.findIndex((e) => e.type === 'llm.recovered' && e.agent === 'backend');
    assert.ok(
      databaseDone >= 0 && databaseDone < backendRecovered,
      'database finished while backend was still waiting',
    );
  } finally {
    await h.close();
  }
});
