import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { proofOfRun } from '../../../src/core/trace';
import type { EngineEvent } from '../../../src/core/events';
import { reply } from '../../support/messagesApiServer';
import { say } from '../../support/engine/agentScript';
import { harness, journalOf, type Harness } from '../../support/engine/harness';
import {
  PRICING,
  PRICING_SPEC,
  PROOF_CONFIG,
  PROOF_FILE,
  proofFile,
  REQ_1_1,
  REQ_1_2,
} from '../../support/engine/pricingProof';

/** v2: a negative price is refused too (REQ-1 changed). */
const WITH_NEGATIVE = PRICING_SPEC.replace(
  'throw a RangeError.\n',
  'throw a RangeError.\n- REQ-1.3: IF the price is negative THEN THE pricing module SHALL throw a RangeError.\n',
);
const NEGATIVE_FILE = 'server/test/acceptance/negative-price.test.js';
const REQ_1_3 = `'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
test('REQ-1.3 refuses a negative price', () => {
  assert.throws(() => require('../../pricing.js').discount(-5, 10), RangeError);
});
`;
const PRICING_V2 = PRICING.replace(
  '  return Math.round',
  "  if (price < 0) throw new RangeError('price must not be negative');\n  return Math.round",
);

const isAmendment = (task: string) => task.includes('CHANGE REQUEST (amendment to the approved spec)');
const isChangeFix = (task: string) => task.includes('FIX MODE: THE APPROVED SPEC WAS AMENDED');

test('proof: a change request that adds a criterion runs PROVE again for it alone, red on the code as it is; the other proof tests stay frozen, for the proof agent too', async () => {
  let amendments = 0;
  const h: Harness = await harness(
    {
      spec: ({ task }) =>
        say.spec('Discounts', 'discounts', isAmendment(task) ? (amendments++, WITH_NEGATIVE) : PRICING_SPEC),
      proof: ({ turn, task }) => {
        const again = task.includes('REQ-1.3');
        if (turn === 0)
          return again
            ? reply.turn([
                {
                  type: 'tool_use',
                  id: 'w1',
                  name: 'write_file',
                  input: { path: PROOF_FILE, content: proofFile(REQ_1_1) },
                },
                { type: 'tool_use', id: 'w2', name: 'write_file', input: { path: NEGATIVE_FILE, content: REQ_1_3 } },
              ])
            : say.write({ [PROOF_FILE]: proofFile(REQ_1_1, REQ_1_2) });
        return reply.toolUse('submit_proof', {
          tests: again
            ? [{ criterion: 'REQ-1.3', file: NEGATIVE_FILE, name: 'REQ-1.3 refuses a negative price' }]
            : [
                { criterion: 'REQ-1.1', file: PROOF_FILE, name: 'REQ-1.1 takes the percent off and rounds to cents' },
                { criterion: 'REQ-1.2', file: PROOF_FILE, name: 'REQ-1.2 refuses a percent outside 0 to 100' },
              ],
        });
      },
      backend: async ({ turn, task }) => {
        if (turn > 0) return say.done();
        if (isChangeFix(task)) return say.write({ 'server/pricing.js': PRICING_V2 });
        const runId = h.host.ofType('run.started')[0]!.runId;
        assert.equal((await engine.requestChange(runId, 'Refuse negative prices too', h.options())).status, 'queued');
        return say.write({ 'server/pricing.js': PRICING });
      },
      review: () => say.approve(),
    },
    { config: PROOF_CONFIG },
  );
  try {
    const summary = await engine.runFeature('Add percentage discounts', h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    assert.equal(amendments, 1);
    const journal = journalOf(h.shop, summary.runId) as unknown as (EngineEvent & { seq: number })[];

    // The second PROVE was asked for REQ-1.3 alone; its try at the frozen file was refused.
    const second = h
      .callsOf('proof')
      .filter((c) => c.turn === 0)
      .at(-1)!;
    assert.match(second.task, /## ACCEPTANCE CRITERIA TO PROVE\n- REQ-1\.3: IF the price is negative/);
    assert.doesNotMatch(second.task.split('## PROPERTY')[0]!, /- REQ-1\.1:/);
    const refused = journal.find((e) => e.type === 'tool.called' && e.agent === 'proof' && e.isError) as Extract<
      EngineEvent,
      { type: 'tool.called' }
    >;
    assert.match(refused.result, /pricing\.test\.js.* is a proof test, frozen for this run/);
    assert.equal(h.shop.read(PROOF_FILE), proofFile(REQ_1_1, REQ_1_2));

    // Red on the code as the first implementation left it; frozen again with both files.
    type Seq = { seq: number };
    const red = journal.filter((e) => e.type === 'proof.test' && e.criterion === 'REQ-1.3') as (Extract<
      EngineEvent,
      { type: 'proof.test' }
    > &
      Seq)[];
    assert.deepEqual(
      red.map((e) => e.red),
      ['failed'],
    );
    const frozen = journal.filter((e) => e.type === 'proof.frozen') as (Extract<EngineEvent, { type: 'proof.frozen' }> &
      Seq)[];
    assert.equal(frozen.length, 2);
    assert.deepEqual(Object.keys(frozen[1]!.hashes).sort(), [NEGATIVE_FILE, PROOF_FILE]);
    assert.equal(frozen[1]!.hashes[PROOF_FILE], frozen[0]!.hashes[PROOF_FILE]);
    const approved = journal.find((e) => e.type === 'change.approved')!;
    assert.ok(frozen[0]!.seq < approved.seq && approved.seq < red[0]!.seq && red[0]!.seq < frozen[1]!.seq);
    assert.deepEqual(frozen[1]!.criteria, {
      'REQ-1.1': PRICING_SPEC.match(/REQ-1\.1: (.*)/)![1],
      'REQ-1.2': PRICING_SPEC.match(/REQ-1\.2: (.*)/)![1],
      'REQ-1.3': 'IF the price is negative THEN THE pricing module SHALL throw a RangeError.',
    });

    const proofs = proofOfRun(journal);
    assert.deepEqual([...proofs].map(([id, p]) => [id, p.status]).sort(), [
      ['REQ-1.1', 'proven'],
      ['REQ-1.2', 'proven'],
      ['REQ-1.3', 'proven'],
    ]);
  } finally {
    await h.close();
  }
});
