// PROVE and GREEN read each proof test from its own output (docs/proof.md "How each test is
// read"), through the engine with node --test's spec reporter: a proof file with a syntax error
// is sent back as broken even when another proof file, in the same node --test call, cannot load
// for want of the module the spec adds (that one is red); and the same `it` text in two describe
// blocks is two tests, each with its own verdict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import type { EngineEvent } from '../../../src/core/events';
import { reply } from '../../support/messagesApiServer';
import { say, specAnswer } from '../../support/engine/agentScript';
import { harness, journalOf } from '../../support/engine/harness';
import { PRICING, PRICING_SPEC, PROOF_CONFIG, PROOF_FILE } from '../../support/engine/pricingProof';

type Journal = (EngineEvent & { seq: number })[];
const ofType = <T extends EngineEvent['type']>(journal: Journal, type: T) =>
  journal.filter((e): e is Extract<EngineEvent, { type: T }> & { seq: number } => e.type === type);

const RANGE_FILE = 'server/test/acceptance/range.test.js';

/** Requires the module the spec adds as it loads: on the base, its file cannot load. */
const PRICING_TEST = `'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { discount } = require('../../pricing.js');

test('REQ-1.1 takes the percent off and rounds to cents', () => {
  assert.equal(discount(19.99, 15), 16.99);
});
`;

const RANGE_TEST = `'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');

test('REQ-1.2 refuses a percent outside 0 to 100', () => {
  const { discount } = require('../../pricing.js');
  assert.throws(() => discount(10, 101), RangeError);
});
`;

test('RED: a proof file with a syntax error is sent back broken, with its own output, though the other proof file in the same call misses the module the spec adds (red)', async () => {
  const h = await harness(
    {
      spec: specAnswer('Discounts', 'discounts', PRICING_SPEC),
      proof: ({ turn, attempt }) => {
        if (turn === 0)
          return say.write({
            [PROOF_FILE]: PRICING_TEST,
            [RANGE_FILE]: attempt === 1 ? RANGE_TEST.replace('const { discount }', 'const = { discount }') : RANGE_TEST,
          });
        return reply.toolUse('submit_proof', {
          tests: [
            { criterion: 'REQ-1.1', file: PROOF_FILE, name: 'REQ-1.1 takes the percent off and rounds to cents' },
            { criterion: 'REQ-1.2', file: RANGE_FILE, name: 'REQ-1.2 refuses a percent outside 0 to 100' },
          ],
        });
      },
      backend: ({ turn }) => (turn === 0 ? say.write({ 'server/pricing.js': PRICING }) : say.done()),
      review: () => say.approve(),
    },
    { config: PROOF_CONFIG },
  );
  try {
    const summary = await engine.runFeature('Add percentage discounts', h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    const journal = journalOf(h.shop, summary.runId) as unknown as Journal;
    const round1 = ofType(journal, 'proof.test').filter((e) => e.seq < ofType(journal, 'proof.sentBack')[0]!.seq);
    assert.deepEqual(
      round1.map((e) => [e.criterion, e.red]),
      [
        ['REQ-1.1', 'failed'],
        ['REQ-1.2', 'broken'],
      ],
    );
    assert.match(round1[0]!.output!, /Cannot find module '\.\.\/\.\.\/pricing\.js'/);
    const [sentBack] = ofType(journal, 'proof.sentBack');
    assert.deepEqual(
      sentBack!.tests.map((t) => [t.criterion, t.red]),
      [['REQ-1.2', 'broken']],
    );
    assert.match(sentBack!.tests[0]!.output, /SyntaxError/);
    assert.doesNotMatch(sentBack!.tests[0]!.output, /Cannot find module/, "its own output, not its neighbour's");
    // Round 2's fixed file is red for want of the module; both are frozen, and proven once it exists.
    assert.deepEqual(
      ofType(journal, 'proof.test')
        .slice(-2)
        .map((e) => [e.criterion, e.red]),
      [
        ['REQ-1.1', 'failed'],
        ['REQ-1.2', 'failed'],
      ],
    );
    assert.deepEqual(Object.keys(ofType(journal, 'proof.frozen')[0]!.hashes), [PROOF_FILE, RANGE_FILE]);
  } finally {
    await h.close();
  }
});

/** The same `it` text in two describe blocks: whole prices, and prices with cents. */
const TWO_CONTEXTS = `'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const pricing = () => require('../../pricing.js');

describe('whole prices', () => {
  it('REQ-1.1 takes the percent off', () => assert.equal(pricing().discount(20, 15), 17));
});

describe('prices with cents', () => {
  it('REQ-1.1 takes the percent off', () => assert.equal(pricing().discount(19.99, 15), 16.99));
});
`;

/** Rounds to whole euros: right for whole prices, wrong for prices with cents. */
const WHOLE_EUROS = PRICING.replace(
  'Math.round(price * (100 - percent)) / 100',
  'Math.round((price * (100 - percent)) / 100)',
);

test('GREEN: the same test name in two describe blocks is two tests, each read by its full path: the one the implementation keeps passing passes, whatever its namesake does', async () => {
  const h = await harness(
    {
      spec: specAnswer('Discounts', 'discounts', PRICING_SPEC),
      proof: ({ turn }) =>
        turn === 0
          ? say.write({ [PROOF_FILE]: TWO_CONTEXTS })
          : reply.toolUse('submit_proof', {
              tests: [
                { criterion: 'REQ-1.1', file: PROOF_FILE, name: 'whole prices > REQ-1.1 takes the percent off' },
                { criterion: 'REQ-1.2', untestable: 'left to the review' },
              ],
            }),
      backend: ({ turn }) => (turn === 0 ? say.write({ 'server/pricing.js': WHOLE_EUROS }) : say.done()),
      review: () => say.approve(),
    },
    { config: PROOF_CONFIG },
  );
  try {
    const summary = await engine.runFeature('Add percentage discounts', h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    const journal = journalOf(h.shop, summary.runId) as unknown as Journal;
    // Red on the base: the module is missing, inside the test.
    assert.deepEqual(
      ofType(journal, 'proof.test')
        .filter((e) => e.file)
        .map((e) => [e.criterion, e.red]),
      [['REQ-1.1', 'failed']],
    );
    // Green at the first try: its namesake under 'prices with cents' fails (whole euros), not it.
    assert.deepEqual(
      ofType(journal, 'proof.green').map((e) => [e.criterion, e.green]),
      [['REQ-1.1', 'passed']],
    );
    assert.deepEqual(summary.retries, { backend: 0 });
    assert.equal(h.callsOf('backend').filter((c) => c.turn === 0).length, 1);
  } finally {
    await h.close();
  }
});
