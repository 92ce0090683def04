import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { proofOfRun } from '../../../src/core/trace';
import type { EngineEvent } from '../../../src/core/events';
import { block, reply } from '../../support/messagesApiServer';
import { say, specAnswer } from '../../support/engine/agentScript';
import { harness, journalOf } from '../../support/engine/harness';
import {
  PRICING,
  PRICING_NO_RANGE,
  PRICING_SPEC,
  PROOF_CONFIG,
  PROOF_FILE,
  proofFile,
  REQ_1_1,
  REQ_1_2,
  VACUOUS_REQ_1_2,
} from '../../support/engine/pricingProof';

const submitProof = () =>
  reply.toolUse('submit_proof', {
    tests: [
      { criterion: 'REQ-1.1', file: PROOF_FILE, name: 'REQ-1.1 takes the percent off and rounds to cents' },
      { criterion: 'REQ-1.2', file: PROOF_FILE, name: 'REQ-1.2 refuses a percent outside 0 to 100' },
    ],
  });

/** Round 1 writes a vacuous REQ-1.2; the round RED sends back rewrites it. */
const proofAgent = ({ turn, attempt }: { turn: number; attempt: number }) => {
  if (turn === 0) return say.write({ [PROOF_FILE]: proofFile(REQ_1_1, attempt === 1 ? VACUOUS_REQ_1_2 : REQ_1_2) });
  return submitProof();
};

const events = (h: Awaited<ReturnType<typeof harness>>, runId: string) =>
  journalOf(h.shop, runId) as unknown as (EngineEvent & { seq: number })[];

test('proof: tests before code, a vacuous one sent back, frozen against the layer, a violating implementation retried with the failing test, then proven', async () => {
  const h = await harness(
    {
      spec: specAnswer('Discounts', 'discounts', PRICING_SPEC),
      proof: proofAgent,
      backend: ({ turn, attempt }) => {
        // First attempt: tries to make the proof pass by changing it (refused), then writes code that never throws.
        if (attempt === 1 && turn === 0)
          return reply.turn([
            block.toolUse('write_file', { path: PROOF_FILE, content: proofFile(REQ_1_1) }),
            block.toolUse('write_file', { path: 'server/pricing.js', content: PRICING_NO_RANGE }),
          ]);
        if (turn === 0) return say.write({ 'server/pricing.js': PRICING });
        return say.done();
      },
      review: () => say.approve(),
    },
    // Two files change: the review's skip rule would skip it.
    { config: (yaml) => PROOF_CONFIG(yaml).replace('skipIfFilesChangedAtMost: 3', 'skipIfFilesChangedAtMost: 0') },
  );
  try {
    const summary = await engine.runFeature('Add percentage discounts', h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    const journal = events(h, summary.runId);
    const types = journal.map((e) => e.type);

    // PROVE before IMPLEMENT: its tests exist before any layer agent starts.
    const phases = journal.filter((e) => e.type === 'phase.started').map((e) => (e as { phase: string }).phase);
    assert.deepEqual(phases.slice(phases.indexOf('SPEC')), [
      'SPEC',
      'CHECKPOINT',
      'PROVE',
      'IMPLEMENT',
      'REVIEW',
      'COMPLETE',
    ]);
    const firstBackend = journal.findIndex((e) => e.type === 'agent.started' && e.agent === 'backend');
    assert.ok(types.indexOf('proof.frozen') < firstBackend);
    const proofCall = h.callsOf('proof')[0]!;
    assert.match(proofCall.task, /## ACCEPTANCE CRITERIA TO PROVE\n- REQ-1\.1: WHEN a percent/);
    assert.match(proofCall.task, /### server\/pricing\.js\n\(does not exist yet: the spec adds it\)/);
    assert.match(proofCall.task, /The project has no property-based library \(fast-check would allow properties\)/);

    // RED: round 1's REQ-1.2 passed on the base and went back with its output; round 2's is red.
    const sentBack = journal.find((e) => e.type === 'proof.sentBack') as Extract<
      EngineEvent,
      { type: 'proof.sentBack' }
    >;
    assert.deepEqual(
      sentBack.tests.map((t) => [t.criterion, t.red]),
      [['REQ-1.2', 'passed']],
    );
    assert.equal(h.callsOf('proof').filter((c) => c.turn === 0).length, 2);
    const round2 = h.callsOf('proof').find((c) => c.turn === 0 && c.attempt === 2)!;
    assert.ok(round2.continued, "round 2 continues the proof agent's conversation");
    assert.match(round2.task, /REQ-1\.2 — server\/test\/acceptance\/pricing\.test\.js .*PASSES on the base/);
    const reds = journal.filter(
      (e): e is Extract<EngineEvent, { type: 'proof.test' }> & { seq: number } => e.type === 'proof.test',
    );
    assert.deepEqual(
      reds.slice(-2).map((e) => [e.criterion, e.red]),
      [
        ['REQ-1.1', 'failed'],
        ['REQ-1.2', 'failed'],
      ],
    );
    const frozen = journal.find((e) => e.type === 'proof.frozen') as Extract<EngineEvent, { type: 'proof.frozen' }>;
    assert.deepEqual(Object.keys(frozen.hashes), [PROOF_FILE]);

    // FROZEN: the backend's write to the proof test was refused, though its owns (server/**) covers it.
    const refused = journal.find((e) => e.type === 'tool.called' && e.agent === 'backend' && e.isError) as Extract<
      EngineEvent,
      { type: 'tool.called' }
    >;
    assert.match(refused.result, /is a proof test, frozen for this run/);
    assert.equal(h.shop.read(PROOF_FILE), proofFile(REQ_1_1, REQ_1_2));
    assert.match(
      (h.callsOf('backend')[0]!.req.body.system as { text: string }[]).map((b) => b.text).join('\n'),
      /## PROOF TESTS \(frozen\)\n[\s\S]*- server\/test\/acceptance\/pricing\.test\.js/,
    );

    // GREEN: the first implementation failed REQ-1.2's test; the retry carried its output, id and text.
    const failed = journal.find((e) => e.type === 'validation.failed') as Extract<
      EngineEvent,
      { type: 'validation.failed' }
    >;
    assert.match(failed.command, /^node --test --test-reporter=spec server\/test\/acceptance\/pricing\.test\.js$/);
    assert.match(
      failed.output,
      /^Proof test failed: REQ-1\.2 — IF the percent is outside 0 to 100 THEN THE pricing module SHALL throw a RangeError\./,
    );
    const retry = h.callsOf('backend').find((c) => c.turn === 0 && c.attempt === 2)!;
    assert.match(retry.task, /## RETRY MODE/);
    assert.match(retry.task, /Proof test failed: REQ-1\.2/);
    assert.match(retry.task, /Missing expected exception \(RangeError\)/);
    assert.deepEqual(summary.retries, { backend: 1 });

    const proofs = proofOfRun(journal);
    assert.deepEqual(
      [...proofs].map(([id, p]) => [id, p.red, p.green, p.status]),
      [
        ['REQ-1.1', 'failed', 'passed', 'proven'],
        ['REQ-1.2', 'failed', 'passed', 'proven'],
      ],
    );

    // The matrix of this real PROVE and GREEN: trace --json's proof object and the Markdown's columns.
    const { matrix, markdown } = await engine.traceSpec(h.shop.dir, summary.specPath!.split('/').at(-2)!);
    const row = matrix.rows.find((r) => r.criterion === 'REQ-1.2')!;
    assert.deepEqual(row.proof, {
      file: PROOF_FILE,
      test: 'REQ-1.2 refuses a percent outside 0 to 100',
      red: 'failed',
      green: 'passed',
      status: 'proven',
    });
    assert.match(markdown, /\| Proof \| Red on base \| Green after \| Strength \|/);

    // REVIEW read each criterion's test with its red and green output.
    const review = h.callsOf('review')[0]!.task;
    assert.match(
      review,
      /## PROOF PER CRITERION\n[\s\S]*### REQ-1\.2: proven\n- server\/test\/acceptance\/pricing\.test\.js › REQ-1\.2 refuses a percent outside 0 to 100: red on the base failed, green after passed/,
    );
    assert.match(review, /Red output:\n```\n[\s\S]*REQ-1\.2/);
  } finally {
    await h.close();
  }
});

test('proof: an implementation that never meets a criterion stops the run naming the criterion, the test and the last output', async () => {
  const h = await harness(
    {
      spec: specAnswer('Discounts', 'discounts', PRICING_SPEC),
      proof: ({ turn }) => (turn === 0 ? say.write({ [PROOF_FILE]: proofFile(REQ_1_1, REQ_1_2) }) : submitProof()),
      backend: ({ turn }) => (turn === 0 ? say.write({ 'server/pricing.js': PRICING_NO_RANGE }) : say.done()),
      review: () => say.approve(),
    },
    { config: PROOF_CONFIG },
  );
  try {
    const summary = await engine.runFeature('Add percentage discounts', h.options());
    assert.equal(summary.status, 'stopped');
    assert.deepEqual(summary.retries, { backend: 2 });
    assert.match(summary.report!, /## Pipeline stopped: validation failed\n### Agent: backend/);
    assert.match(summary.report!, /Proof test failed: REQ-1\.2 — IF the percent is outside 0 to 100/);
    assert.match(
      summary.report!,
      /Test: server\/test\/acceptance\/pricing\.test\.js › REQ-1\.2 refuses a percent outside 0 to 100/,
    );
    assert.match(summary.report!, /Missing expected exception/);
    const proofs = proofOfRun(events(h, summary.runId));
    assert.equal(proofs.get('REQ-1.1')!.status, 'proven');
    assert.equal(proofs.get('REQ-1.2')!.status, 'failing');
  } finally {
    await h.close();
  }
});

test("proof: a broken test goes back; a proof test changed behind the agents' back stops the run as tampering, and resume never rewrites it", async () => {
  let tamper = true;
  const h = await harness(
    {
      spec: specAnswer('Discounts', 'discounts', PRICING_SPEC),
      proof: ({ turn, attempt }) => {
        if (turn === 0)
          return say.write({
            [PROOF_FILE]:
              attempt === 1
                ? proofFile(REQ_1_1, REQ_1_2).replace("test('REQ-1.2", "test('REQ-1.2''")
                : proofFile(REQ_1_1, REQ_1_2),
          });
        return submitProof();
      },
      backend: ({ turn }) => {
        if (turn === 0 && tamper) {
          tamper = false;
          // Someone outside the agents loosens the proof while the layer works.
          h.shop.write(PROOF_FILE, proofFile(REQ_1_1, VACUOUS_REQ_1_2));
        }
        return turn === 0 ? say.write({ 'server/pricing.js': PRICING_NO_RANGE }) : say.done();
      },
      review: () => say.approve(),
    },
    { config: PROOF_CONFIG },
  );
  try {
    const summary = await engine.runFeature('Add percentage discounts', h.options());
    const journal = events(h, summary.runId);
    const sentBack = journal.find((e) => e.type === 'proof.sentBack') as Extract<
      EngineEvent,
      { type: 'proof.sentBack' }
    >;
    assert.ok(
      sentBack,
      JSON.stringify(
        journal.filter((e) => e.type.startsWith('proof')),
        null,
        1,
      ),
    );
    assert.deepEqual(
      sentBack.tests.map((t) => t.red),
      ['broken', 'broken'],
    );
    assert.match(sentBack.tests[0]!.output, /SyntaxError/);

    assert.equal(summary.status, 'stopped');
    assert.match(
      summary.error!,
      /proof tests changed after they were frozen: server\/test\/acceptance\/pricing\.test\.js/,
    );
    assert.match(summary.report!, /## Pipeline stopped: a proof test was changed/);

    // Restored by the human, the run resumes: PROVE does not run again, the frozen test is kept.
    h.shop.write(PROOF_FILE, proofFile(REQ_1_1, REQ_1_2));
    const proofCalls = h.callsOf('proof').length;
    const resumed = await engine.resumeRun(summary.runId, h.options());
    assert.equal(h.callsOf('proof').length, proofCalls);
    assert.equal(resumed.status, 'stopped', 'the code still never throws');
    assert.equal(h.shop.read(PROOF_FILE), proofFile(REQ_1_1, REQ_1_2));
    assert.equal(events(h, summary.runId).filter((e) => e.type === 'proof.frozen').length, 1);
  } finally {
    await h.close();
  }
});

test('proof: a run cancelled while the proof agent works resumes in PROVE: the agent starts afresh, its tests are red on the base and frozen once, and the run completes proven', async () => {
  let hold = true;
  const h = await harness(
    {
      spec: specAnswer('Discounts', 'discounts', PRICING_SPEC),
      proof: ({ turn }) => {
        if (turn === 0) return say.write({ [PROOF_FILE]: proofFile(REQ_1_1, REQ_1_2) });
        if (hold) {
          hold = false;
          // Its tests written, its answer held until the client goes away: the run is cancelled in PROVE.
          return reply.slow(submitProof(), { beforeMs: 60_000 });
        }
        return submitProof();
      },
      backend: ({ turn }) => (turn === 0 ? say.write({ 'server/pricing.js': PRICING }) : say.done()),
      review: () => say.approve(),
    },
    { config: PROOF_CONFIG },
  );
  try {
    const controller = new AbortController();
    const running = engine.runFeature('Add percentage discounts', h.options({ signal: controller.signal }));
    for (let i = 0; i < 400 && hold; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    assert.equal(hold, false, 'the proof agent wrote its tests and is answering');
    controller.abort();
    const cancelled = await running;
    assert.equal(cancelled.status, 'cancelled');
    const before = events(h, cancelled.runId);
    assert.ok(!before.some((e) => e.type === 'proof.frozen' || e.type === 'proof.test'), 'nothing was run or frozen');
    assert.ok(!before.some((e) => e.type === 'agent.started' && e.agent === 'backend'), 'no layer started');
    assert.deepEqual(
      before
        .filter((e) => e.type === 'phase.started')
        .map((e) => (e as { phase: string }).phase)
        .slice(-1),
      ['PROVE'],
    );

    const resumed = await engine.resumeRun(cancelled.runId, h.options());
    assert.equal(resumed.status, 'completed', resumed.error ?? resumed.report);
    const journal = events(h, cancelled.runId);
    // PROVE again, from its start: a new conversation with the whole task, not the cancelled one's.
    const again = h
      .callsOf('proof')
      .filter((c) => c.turn === 0)
      .at(-1)!;
    assert.equal(h.callsOf('proof').filter((c) => c.turn === 0).length, 2);
    assert.equal(again.continued, false);
    assert.equal(again.req.body.messages.length, 1, 'a new conversation');
    assert.match(again.task, /## ACCEPTANCE CRITERIA TO PROVE\n- REQ-1\.1/);
    const phasesAfter = journal
      .slice(before.length)
      .filter((e) => e.type === 'phase.started')
      .map((e) => (e as { phase: string }).phase);
    assert.deepEqual(phasesAfter, ['PROVE', 'IMPLEMENT', 'REVIEW', 'COMPLETE'], 'the run went on in PROVE');
    // RED once, frozen once, before the layer.
    assert.deepEqual(
      journal
        .filter((e) => e.type === 'proof.test')
        .map((e) => [
          (e as Extract<EngineEvent, { type: 'proof.test' }>).criterion,
          (e as Extract<EngineEvent, { type: 'proof.test' }>).red,
        ]),
      [
        ['REQ-1.1', 'failed'],
        ['REQ-1.2', 'failed'],
      ],
    );
    const frozen = journal.filter((e) => e.type === 'proof.frozen');
    assert.equal(frozen.length, 1);
    assert.ok(frozen[0]!.seq < journal.find((e) => e.type === 'agent.started' && e.agent === 'backend')!.seq);
    assert.equal(h.shop.read(PROOF_FILE), proofFile(REQ_1_1, REQ_1_2));
    assert.deepEqual(
      [...proofOfRun(journal)].map(([id, p]) => [id, p.status]),
      [
        ['REQ-1.1', 'proven'],
        ['REQ-1.2', 'proven'],
      ],
    );
  } finally {
    await h.close();
  }
});
