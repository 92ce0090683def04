// A bugfix's reproducer (docs/proof.md): PROVE runs after APPROVE and before FIX; the proof agent
// is told the root cause and writes a test of the spec's criterion that fails on the base because
// of the bug; the fix makes it pass. The bug is real in examples/shop: Customer.validate() checks
// the length of the name as typed, while create() stores it trimmed, so a 100-character name
// pasted with a space around it is refused as too long.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import type { EngineEvent } from '../../../src/core/events';
import { proofOfRun } from '../../../src/core/trace';
import { reply } from '../../support/messagesApiServer';
import { say, specAnswer } from '../../support/engine/agentScript';
import { harness, journalOf } from '../../support/engine/harness';
import { PROOF_CONFIG } from '../../support/engine/pricingProof';

const CUSTOMER = 'server/entities/customer.js';
const REPRODUCER = 'server/test/acceptance/customer-name.test.js';
const ROOT_CAUSE =
  'validate() checks input.name.length, the name as typed, while create() stores input.name.trim(): spaces around a 100-character name push it over the limit';

const SPEC = `## Spec: Fix long customer names refused for surrounding spaces

### Summary
Root cause: ${ROOT_CAUSE}. Fix: check the length of the trimmed name.

### Entity Info
- Pattern: simple
- References: none
- Type: Bug fix

### Requirements

#### REQ-1: The name's length is the stored name's
**Acceptance criteria**
- REQ-1.1: WHEN a customer name of at most 100 characters is submitted with spaces around it THE API SHALL accept it and store it trimmed.

### Files to Create/Modify

#### Backend
- [ ] \`server/entities/customer.js\`: check the trimmed name's length in validate()

### Tasks
1. [ ] Backend: check the trimmed name's length in validate() (REQ-1)

### Dependencies
- None
`;

const REPRODUCER_TEST = `'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const store = require('../../store.js');
const customer = require('../../entities/customer.js');

test('REQ-1.1 accepts a 100-character name with spaces around it and stores it trimmed', () => {
  store.reset();
  const name = 'A'.repeat(100);
  const input = { name: \` \${name} \`, email: 'ada@example.com' };
  assert.deepEqual(customer.validate(input), []);
  assert.equal(customer.create(input).name, name);
});
`;

const events = (h: Awaited<ReturnType<typeof harness>>, runId: string) =>
  journalOf(h.shop, runId) as unknown as (EngineEvent & { seq: number })[];

test('bugfix: the reproducer is written after APPROVE and before FIX, red on the base because of the bug, frozen, and green once the fix is in: the criterion is proven', async () => {
  const h = await harness(
    {
      diagnose: ({ turn }) =>
        turn === 0
          ? reply.toolUse('read_file', { path: CUSTOMER })
          : say.diagnosis(ROOT_CAUSE, 'check input.name.trim().length in validate()', [CUSTOMER]),
      spec: specAnswer('Fix long customer names refused for surrounding spaces', 'fix-long-customer-names', SPEC),
      proof: ({ turn }) =>
        turn === 0
          ? say.write({ [REPRODUCER]: REPRODUCER_TEST })
          : reply.toolUse('submit_proof', {
              tests: [
                {
                  criterion: 'REQ-1.1',
                  file: REPRODUCER,
                  name: 'REQ-1.1 accepts a 100-character name with spaces around it and stores it trimmed',
                },
              ],
            }),
      backend: ({ turn }) =>
        turn === 0
          ? reply.toolUse('edit_file', {
              path: CUSTOMER,
              old_text: 'else if (input.name.length > 100)',
              new_text: 'else if (input.name.trim().length > 100)',
            })
          : say.done("The length is the trimmed name's."),
    },
    { config: PROOF_CONFIG },
  );
  try {
    const summary = await engine.runBugfix(
      'A customer whose 100-character name was pasted with a trailing space is refused as too long',
      h.options(),
    );
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    assert.deepEqual(
      summary.phases.map((p) => p.name),
      ['SYNC', 'UNDERSTAND', 'DIAGNOSE', 'SPEC', 'CHECKPOINT', 'PROVE', 'FIX', 'COMPLETE'],
    );
    const journal = events(h, summary.runId);

    // The proof agent knew the bug: its tests are the reproducers.
    const task = h.callsOf('proof')[0]!.task;
    assert.match(task, /^## THE BUG\nRoot cause: validate\(\) checks input\.name\.length/);
    assert.match(task, /each must fail on the code as it is now because of the bug/);
    assert.match(
      task,
      /### server\/entities\/customer\.js\n```\n\/\/ Customer — the reference module/,
      'with the file the spec names as it is on the base',
    );

    // Red on the base, by the bug itself: the validation error the fix removes.
    const red = journal.find((e) => e.type === 'proof.test') as Extract<EngineEvent, { type: 'proof.test' }>;
    assert.equal(red.red, 'failed');
    assert.match(red.output ?? '', /name must be at most 100 characters/);
    const frozen = journal.find((e) => e.type === 'proof.frozen')!;
    const fix = journal.find((e) => e.type === 'agent.started' && e.agent === 'backend')!;
    assert.ok(frozen.seq < fix.seq, 'frozen before the fix started');
    assert.equal(
      (
        journal.find((e) => e.type === 'agent.started' && e.agent === 'backend') as Extract<
          EngineEvent,
          { type: 'agent.started' }
        >
      ).mode,
      'fix',
    );

    // Green once fixed: the backend's validate, then the reproducer.
    assert.deepEqual(
      journal
        .filter((e) => e.type === 'proof.green')
        .map((e) => [
          (e as Extract<EngineEvent, { type: 'proof.green' }>).criterion,
          (e as Extract<EngineEvent, { type: 'proof.green' }>).green,
        ]),
      [['REQ-1.1', 'passed']],
    );
    assert.deepEqual(summary.retries, { backend: 0 });
    assert.match(h.shop.read(CUSTOMER), /else if \(input\.name\.trim\(\)\.length > 100\)/);
    assert.equal(h.shop.read(REPRODUCER), REPRODUCER_TEST);
    const proof = proofOfRun(journal).get('REQ-1.1')!;
    assert.deepEqual([proof.red, proof.green, proof.status], ['failed', 'passed', 'proven']);
    assert.deepEqual(summary.filesChanged.sort(), [REPRODUCER, CUSTOMER].sort());
  } finally {
    await h.close();
  }
});
