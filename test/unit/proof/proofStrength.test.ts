// STRENGTH after GREEN in a run (issue 61): the shop's pricing module, proven by a test that only
// checks that discount exists; with proof.strength: required, StrykerJS (its command runner, the
// proof command) finds mutants of the changed lines the test lets through, the run journals them
// per criterion and stops naming the criterion and each survivor's file and line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import type { EngineEvent } from '../../../src/core/events';
import { reply } from '../../support/messagesApiServer';
import { say, specAnswer } from '../../support/engine/agentScript';
import { harness, journalOf } from '../../support/engine/harness';
import { PRICING, PRICING_SPEC, PROOF_CONFIG, PROOF_FILE, proofFile } from '../../support/engine/pricingProof';

const EXISTS = `
test('REQ-1.1 discount exists', () => {
  assert.equal(typeof pricing().discount, 'function');
});
`;

test('strength: required: a proof test that only checks that the function exists lets mutants survive; the run stops naming the criterion and their lines', async () => {
  const config = (yaml: string) => PROOF_CONFIG(yaml).replace('strength: off', 'strength: required\n  maxMutants: 3');
  const h = await harness(
    {
      spec: specAnswer('Discounts', 'discounts', PRICING_SPEC),
      proof: ({ turn }) =>
        turn === 0
          ? say.write({ [PROOF_FILE]: proofFile(EXISTS) })
          : reply.toolUse('submit_proof', { tests: [{ criterion: 'REQ-1.1', file: PROOF_FILE, name: 'REQ-1.1 discount exists' }, { criterion: 'REQ-1.2', untestable: 'checked by REQ-1.1 here' }] }),
      backend: ({ turn }) => (turn === 0 ? say.write({ 'server/pricing.js': PRICING }) : say.done()),
      review: () => say.approve(),
    },
    { config },
  );
  try {
    const summary = await engine.runFeature('Add percentage discounts', h.options());
    const journal = journalOf(h.shop, summary.runId) as unknown as EngineEvent[];
    const started = journal.find((e) => e.type === 'proof.strengthStarted') as Extract<EngineEvent, { type: 'proof.strengthStarted' }>;
    assert.ok(started, JSON.stringify(journal.filter((e) => e.type === 'log' || e.type === 'run.stopped')));
    assert.deepEqual(started.criteria, ['REQ-1.1']);
    const strength = journal.find((e) => e.type === 'proof.strength') as Extract<EngineEvent, { type: 'proof.strength' }>;
    assert.equal(strength.error, undefined, strength.error);
    // The seed is the run's own: whichever 3 of the module's mutants it samples, only emptying
    // module.exports could fail a test that checks that discount is a function.
    assert.equal(strength.tried, 3);
    assert.equal(strength.killed + strength.survived, 3);
    assert.ok(strength.survived >= 2, JSON.stringify(strength));
    assert.equal(strength.survivors.length, strength.survived);
    assert.ok(strength.survivors.every((s) => s.file === 'server/pricing.js' && s.line >= 2 && s.line <= 5 && s.change.includes(' → ')), JSON.stringify(strength.survivors));
    assert.equal(summary.status, 'stopped');
    const stop = journal.find((e) => e.type === 'run.stopped') as { report: string } | undefined;
    assert.match(stop!.report, /a proof is too weak/);
    assert.match(stop!.report, new RegExp(`REQ-1\\.1: ${strength.killed}/3 killed`));
    for (const s of strength.survivors) assert.ok(stop!.report.includes(`\`server/pricing.js:${s.line}\` ${s.change}`), stop!.report);
  } finally {
    await h.close();
  }
});
