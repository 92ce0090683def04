// Attempts (docs/attempts.md) through the real engine and the scripted Messages API: three
// attempts at the backend in parallel and apart, either order, the budget, none passing
// (attemptsWorld.ts: what each model's attempt does).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { proofOfRun } from '../../../src/core/trace';
import { reply } from '../../support/messagesApiServer';
import { productAgents, say, specAnswer, type AgentScript } from '../../support/engine/agentScript';
import { PRODUCT_MODULE } from '../../support/engine/fixtures';
import { harness, journalOf } from '../../support/engine/harness';
import { withLimit } from '../../support/engine/shopWorkspace';
import {
  PRICING,
  PRICING_NO_RANGE,
  PRICING_SPEC,
  PROOF_CONFIG,
  PROOF_FILE as PRICING_PROOF_FILE,
  proofFile,
  REQ_1_1,
  REQ_1_2,
} from '../../support/engine/pricingProof';
import { attemptsConfig, backend, type Entry, MODULE, ofType } from '../../support/engine/attemptsWorld';

const PRICING_MODULE = 'server/pricing.js';
const PRICING_PROOF_ANSWER = {
  tests: [
    { criterion: 'REQ-1.1', file: PRICING_PROOF_FILE, name: 'REQ-1.1 takes the percent off and rounds to cents' },
    { criterion: 'REQ-1.2', file: PRICING_PROOF_FILE, name: 'REQ-1.2 refuses a percent outside 0 to 100' },
  ],
};

test('three attempts at the backend, in parallel, each in its own worktree: the one proven at once is kept; the others stay as refs', async () => {
  // The discount: m-fail never throws for a bad percent (REQ-1.2's proof test fails, validation with it),
  // m-retry does so at first and is sent back, m-good gets it right at once, after looking for the module.
  const pricing: Record<string, AgentScript> = {
    'm-fail': ({ turn }) => (turn === 0 ? say.write({ [PRICING_MODULE]: PRICING_NO_RANGE }) : say.done()),
    'm-retry': ({ turn, continued }) =>
      turn === 0 ? say.write({ [PRICING_MODULE]: continued ? PRICING : PRICING_NO_RANGE }) : say.done(),
    'm-good': ({ turn }) =>
      turn === 0
        ? reply.slow(reply.toolUse('read_file', { path: PRICING_MODULE }), { streamMs: 1200 })
        : turn === 1
          ? say.write({ [PRICING_MODULE]: PRICING })
          : say.done(),
  };
  const h = await harness(
    {
      spec: specAnswer('Discounts', 'discounts', PRICING_SPEC),
      proof: ({ turn }) =>
        turn === 0
          ? say.write({ [PRICING_PROOF_FILE]: proofFile(REQ_1_1, REQ_1_2) })
          : reply.toolUse('submit_proof', PRICING_PROOF_ANSWER),
      backend: (call) => pricing[call.req.body.model as string]!(call),
      review: () => say.approve(),
    },
    { config: attemptsConfig(['agent:m-fail', 'agent:m-retry', 'agent:m-good'], PROOF_CONFIG) },
  );
  try {
    const summary = await engine.runFeature('Add percentage discounts', h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    const journal = journalOf(h.shop, summary.runId) as unknown as Entry[];
    assert.deepEqual(
      ofType(journal, 'attempt.started').map((e) => [e.k, e.of, e.runner, e.model]),
      [
        [1, 3, 'agent', 'm-fail'],
        [2, 3, 'agent', 'm-retry'],
        [3, 3, 'agent', 'm-good'],
      ],
    );
    const judged = new Map(ofType(journal, 'attempt.judged').map((e) => [e.k, e]));
    const figures = (k: number) => [
      judged.get(k)!.validate,
      judged.get(k)!.retries,
      judged.get(k)!.proofGreen,
      judged.get(k)!.proofTotal,
    ];
    assert.deepEqual(figures(1), ['failed', 1, 1, 2]);
    assert.match(judged.get(1)!.error ?? '', /validation of backend failed after 1\/1 retries/);
    assert.deepEqual(figures(2), ['passed', 1, 2, 2]);
    assert.deepEqual(figures(3), ['passed', 0, 2, 2]);
    assert.deepEqual(judged.get(3)!.diff, { files: 1, insertions: PRICING.trimEnd().split('\n').length, deletions: 0 });
    const [picked] = ofType(journal, 'attempt.picked');
    assert.equal(picked!.k, 3);
    assert.match(picked!.why, /fewest retries \(0, attempt 2: 1\); attempt 1 failed validation/);

    // In parallel: every attempt started before the first was judged.
    const firstJudged = Math.min(...[...judged.values()].map((e) => e.seq));
    assert.ok(ofType(journal, 'attempt.started').every((e) => e.seq < firstJudged));
    // Apart: m-good found no module, although m-fail had written its own by then.
    const good = h.callsOf('backend').find((c) => c.req.body.model === 'm-good' && c.turn === 1)!;
    assert.match(JSON.stringify(good.req.body.messages.at(-1)), /file not found: server\/pricing\.js/);

    // The kept attempt is the run's: its module, its layer work in the run's journal (no retry), proven.
    assert.equal(h.shop.read(PRICING_MODULE), PRICING);
    assert.deepEqual(summary.retries, { backend: 0 });
    assert.ok(ofType(journal, 'validation.passed').some((e) => e.layer === 'backend' && e.seq > picked!.seq));
    assert.deepEqual(
      ofType(journal, 'agent.started')
        .filter((e) => e.agent === 'backend')
        .map((e) => e.model),
      ['m-good'],
    );
    assert.deepEqual(Object.fromEntries([...proofOfRun(journal)].map(([id, p]) => [id, p.status])), {
      'REQ-1.1': 'proven',
      'REQ-1.2': 'proven',
    });
    // The others stay as refs; no attempt's worktree is left.
    const refs = h.shop
      .git('for-each-ref', '--format=%(refname)', `refs/orchestrator-attempts/${summary.runId}/`)
      .trim()
      .split('\n');
    assert.deepEqual(refs.map((r) => r.split('/').at(-1)).sort(), ['1', '2', '3', 'base']);
    assert.equal(
      h.shop.git('show', `refs/orchestrator-attempts/${summary.runId}/backend/1:${PRICING_MODULE}`),
      PRICING_NO_RANGE,
    );
    assert.equal(h.shop.git('worktree', 'list', '--porcelain').match(/^worktree /gm)!.length, 1);
  } finally {
    await h.close();
  }
});

test('the same attempts in the other order: the one passing at once is kept again', async () => {
  const h = await harness(
    { ...productAgents(), backend },
    { config: attemptsConfig(['agent:m-good', 'agent:m-fail', 'agent:m-retry']) },
  );
  try {
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    const journal = journalOf(h.shop, summary.runId) as unknown as Entry[];
    assert.deepEqual(
      ofType(journal, 'attempt.picked').map((e) => [e.k, e.by]),
      [[1, 'judged']],
    );
    assert.equal(h.shop.read(MODULE), PRODUCT_MODULE);
  } finally {
    await h.close();
  }
});

test('the budget: once it is spent no attempt starts; the run says how many ran', async () => {
  // One agent at a time: attempts 1 and 2 spend the six unpriced requests the run may make (three each).
  const h = await harness(
    { ...productAgents(), backend },
    {
      config: attemptsConfig(['agent:m-good', 'agent:m-good', 'agent:m-retry'], (y) =>
        withLimit('maxRequests', 6)(withLimit('concurrency', 1)(y)),
      ),
    },
  );
  try {
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
    const journal = journalOf(h.shop, summary.runId) as unknown as Entry[];
    assert.deepEqual(
      ofType(journal, 'attempt.started').map((e) => e.k),
      [1, 2],
    );
    assert.deepEqual(
      ofType(journal, 'attempt.skipped').map((e) => [e.k, e.reason]),
      [[3, 'the budget is spent (limits.maxRequests)']],
    );
    assert.match(ofType(journal, 'attempt.picked')[0]!.why, /2 of 3 attempts ran, the budget allowed no more/);
    assert.equal(summary.status, 'stopped');
    assert.match(summary.report ?? '', /budget/i);
  } finally {
    await h.close();
  }
});

test('no attempt passing stops the run with a report naming each', async () => {
  const h = await harness({ ...productAgents(), backend }, { config: attemptsConfig(['agent:m-fail']) });
  try {
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(summary.status, 'stopped');
    assert.match(summary.report ?? '', /no attempt at backend passed its validation/);
    for (const k of [1, 2, 3])
      assert.match(
        summary.report ?? '',
        new RegExp(`Attempt ${k} on agent:m-fail: 1 retries.*validation of backend failed`),
      );
    assert.equal(h.shop.git('worktree', 'list', '--porcelain').match(/^worktree /gm)!.length, 1);
  } finally {
    await h.close();
  }
});
