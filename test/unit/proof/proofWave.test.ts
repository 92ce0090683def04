// GREEN in a wave of two layers citing one criterion (docs/proof.md): the Product feature's REQ-1 is
// the database's and the backend's, which work at once. The database is done first; its validation
// must not run REQ-1's proof tests while the backend's module is still to come (they would fail it
// for code it does not write, and retry it until the run stops): the backend, validating last,
// runs them, and after the last wave they all run once more (the frontend wrote files since).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import type { EngineEvent } from '../../../src/core/events';
import { proofOfRun } from '../../../src/core/trace';
import { reply } from '../../support/messagesApiServer';
import { productAgents, say } from '../../support/engine/agentScript';
import { PRODUCT_MODULE } from '../../support/engine/fixtures';
import { harness, journalOf } from '../../support/engine/harness';
import {
  PRODUCT_PROOF,
  PRODUCT_PROOF_ANSWER,
  PRODUCT_PROOF_CONFIG,
  PRODUCT_PROOF_FILE,
} from '../../support/engine/productProof';

test('proof in a wave: the layer that validates while another citing the criterion still works leaves its tests to that one; nothing is retried and the criteria are proven', async () => {
  const agents = productAgents();
  const h = await harness(
    {
      ...agents,
      proof: ({ turn }) =>
        turn === 0
          ? say.write({ [PRODUCT_PROOF_FILE]: PRODUCT_PROOF })
          : reply.toolUse('submit_proof', PRODUCT_PROOF_ANSWER),
      // The backend's reply streams slowly: the database (which starts once that reply has begun, to read
      // the prompt cache it writes) is done and validated before the backend's module exists.
      backend: ({ turn }) =>
        turn === 0
          ? reply.slow(say.write({ 'server/entities/product.js': PRODUCT_MODULE }), { streamMs: 3000 })
          : say.done(),
    },
    { config: PRODUCT_PROOF_CONFIG },
  );
  try {
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    const journal = journalOf(h.shop, summary.runId) as unknown as (EngineEvent & { seq: number })[];
    const wave = journal.find((e) => e.type === 'wave.started') as Extract<EngineEvent, { type: 'wave.started' }>;
    assert.deepEqual([...wave.layers].sort(), ['backend', 'database']);
    const seqOf = (match: (e: EngineEvent) => boolean) => journal.find(match)!.seq;
    assert.ok(
      seqOf((e) => e.type === 'validation.passed' && e.layer === 'database') <
        seqOf((e) => e.type === 'agent.completed' && e.agent === 'backend'),
      'the database validated while the backend worked',
    );

    assert.deepEqual(summary.retries, { database: 0, backend: 0, frontend: 0 });
    const greens = journal
      .filter((e): e is Extract<EngineEvent, { type: 'proof.green' }> & { seq: number } => e.type === 'proof.green')
      .map((e) => [e.criterion, e.green, e.layer]);
    assert.deepEqual(greens, [
      ['REQ-1.1', 'passed', 'backend'],
      ['REQ-1.2', 'passed', 'backend'],
      ['REQ-1.1', 'passed', undefined],
      ['REQ-1.2', 'passed', undefined],
    ]);
    assert.deepEqual(Object.fromEntries([...proofOfRun(journal)].map(([id, p]) => [id, p.status])), {
      'REQ-1.1': 'proven',
      'REQ-1.2': 'proven',
      'REQ-2.1': 'unproven',
    });
  } finally {
    await h.close();
  }
});
