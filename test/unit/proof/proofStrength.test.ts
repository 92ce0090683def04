// STRENGTH after GREEN in a run (issue 61): the shop's pricing module, proven by a test that only
// checks that discount exists. With proof.strength: required and no round (maxRounds: 0), StrykerJS
// (no runner plugin for node:test: its mutants judged through node:test) finds mutants of the changed lines the test lets through,
// the review marks one equivalent, and the run stops naming the criterion and the other survivors.
// In Python (the built-in mutator, cheaper), the survivors go back to the proof agent, whose new
// test is red on the base, green now, frozen, and kills them all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { engine } from '../../../src/core/engine';
import type { EngineEvent } from '../../../src/core/events';
import { fault, reply } from '../../support/messagesApiServer';
import { say, specAnswer } from '../../support/engine/agentScript';
import { harness, journalOf } from '../../support/engine/harness';
import { PRICING, PRICING_SPEC, PROOF_CONFIG, PROOF_FILE, proofFile } from '../../support/engine/pricingProof';

const EXISTS = `
test('REQ-1.1 discount exists', () => {
  assert.equal(typeof pricing().discount, 'function');
});
`;

test('strength: required: a proof test that only checks that the function exists lets mutants survive; the review marks one equivalent; the run stops at COMPLETE naming the criterion and the other survivors', async () => {
  // No round of added tests (maxRounds: 0): the survivors go to the review, which marks one equivalent.
  const config = (yaml: string) =>
    PROOF_CONFIG(yaml)
      .replace('maxRounds: 2', 'maxRounds: 0')
      .replace('strength: off', 'strength: required\n  maxMutants: 3')
      .replace('skipIfFilesChangedAtMost: 3', 'skipIfFilesChangedAtMost: 0');
  const h = await harness(
    {
      spec: specAnswer('Discounts', 'discounts', PRICING_SPEC),
      proof: ({ turn }) =>
        turn === 0
          ? say.write({ [PROOF_FILE]: proofFile(EXISTS) })
          : reply.toolUse('submit_proof', {
              tests: [
                { criterion: 'REQ-1.1', file: PROOF_FILE, name: 'REQ-1.1 discount exists' },
                { criterion: 'REQ-1.2', untestable: 'checked by REQ-1.1 here' },
              ],
            }),
      backend: ({ turn }) => (turn === 0 ? say.write({ 'server/pricing.js': PRICING }) : say.done()),
      review: ({ task }) => {
        const mutant = /^\[([0-9a-f]{16})\] server\/pricing\.js:\d+ /m.exec(task)?.[1];
        return reply.toolUse('submit_review', {
          verdict: 'approved',
          issues: [],
          ...(mutant ? { equivalent: [{ mutant, why: 'the same result for every input' }] } : {}),
        });
      },
    },
    { config },
  );
  try {
    const summary = await engine.runFeature('Add percentage discounts', h.options());
    const journal = journalOf(h.shop, summary.runId) as unknown as EngineEvent[];
    const started = journal.find((e) => e.type === 'proof.strengthStarted') as Extract<
      EngineEvent,
      { type: 'proof.strengthStarted' }
    >;
    assert.ok(started, JSON.stringify(journal.filter((e) => e.type === 'log' || e.type === 'run.stopped')));
    assert.deepEqual(started.criteria, ['REQ-1.1']);
    const strength = journal.find((e) => e.type === 'proof.strength') as Extract<
      EngineEvent,
      { type: 'proof.strength' }
    >;
    assert.equal(strength.error, undefined, strength.error);
    // StrykerJS has no node:test plugin: the mutants ran through node:test in one Node process per
    // worker (limits.concurrency, 3, at most one a core), metered like any command, with no StrykerJS start.
    const commands = journal.flatMap((e) => (e.type === 'command.ran' && e.kind === 'strength' ? [e.command] : []));
    const workers = Math.min(3, availableParallelism());
    assert.equal(commands.length, workers, commands.join('\n'));
    assert.equal(new Set(commands).size, workers, 'each worker in its own copy');
    for (const command of commands) assert.match(command, /^env node \S+\/node_test_batch\.mjs \S+\/plan\.json$/);
    // The seed is the run's own: whichever 3 of the module's mutants it samples, only emptying
    // module.exports could fail a test that checks that discount is a function.
    assert.equal(strength.tried, 3);
    assert.equal(strength.killed + strength.survived, 3);
    assert.ok(strength.survived >= 2, JSON.stringify(strength));
    assert.equal(strength.survivors.length, strength.survived);
    assert.ok(
      strength.survivors.every(
        (s) => s.file === 'server/pricing.js' && s.line >= 2 && s.line <= 5 && s.change.includes(' → '),
      ),
      JSON.stringify(strength.survivors),
    );
    // The review read the survivors with their ids and judged the first equivalent: it counts no more.
    const equivalent = journal.filter((e) => e.type === 'proof.equivalent') as Extract<
      EngineEvent,
      { type: 'proof.equivalent' }
    >[];
    assert.deepEqual(
      equivalent.map((e) => [e.criterion, e.mutant, e.line]),
      [['REQ-1.1', strength.survivors[0]!.id, strength.survivors[0]!.line]],
    );
    // Still too weak without it: the run stops at COMPLETE's check, after the review, naming the others.
    assert.equal(summary.status, 'stopped');
    const stop = journal.find((e) => e.type === 'run.stopped') as { report: string } | undefined;
    assert.match(stop!.report, /a proof is too weak/);
    assert.match(stop!.report, new RegExp(`REQ-1\\.1: ${strength.killed}/2 killed`));
    // Each survivor's line is in the report as often as the survivors not judged equivalent name it.
    const named = (s: { line: number; change: string }) => `- \`server/pricing.js:${s.line}\` ${s.change}`;
    for (const s of strength.survivors) {
      const expected = strength.survivors.slice(1).filter((o) => named(o) === named(s)).length;
      assert.equal(stop!.report.split('\n').filter((line) => line === named(s)).length, expected, stop!.report);
    }
  } finally {
    await h.close();
  }
});

// A Python module through the built-in mutator (no StrykerJS: a python3 process a mutant), each
// proof test a script the proof command runs (`python3 {file}`, its exit code the verdict).
const PY_SPEC = PRICING_SPEC.replaceAll('server/pricing.js', 'server/pricing.py');
const PY_PRICING = `def discount(price, percent):
    if percent < 0 or percent > 100:
        raise ValueError("percent must be within 0..100")
    cut = price * percent // 100
    return price - cut
`;
const PY_HEADER = 'import os\nimport sys\n\nsys.path.insert(0, os.getcwd())\n\n';
const PY_EXISTS = `${PY_HEADER}def test_req_1_1_discount_exists():
    from server.pricing import discount
    assert callable(discount)


test_req_1_1_discount_exists()
`;
const PY_STRONG = `${PY_HEADER}def test_req_1_1_takes_the_percent_off():
    from server.pricing import discount
    assert discount(1000, 10) == 900
    assert discount(999, 50) == 500
    assert discount(1000, 0) == 1000
    assert discount(1000, 100) == 0
    for percent in (-1, 101):
        try:
            discount(1000, percent)
        except ValueError:
            continue
        raise AssertionError(f"{percent} was accepted")


test_req_1_1_takes_the_percent_off()
`;
const PY_VACUOUS = `${PY_HEADER}def test_req_1_1_always():\n    assert True\n\n\ntest_req_1_1_always()\n`;
const VACUOUS_FILE = 'server/test/acceptance/test_always.py';
const WEAK_FILE = 'server/test/acceptance/test_exists.py';
const STRONG_FILE = 'server/test/acceptance/test_discount.py';

test('strength: required: the survivors go back to the proof agent, whose added test is red on the base, green now and frozen; a resume redoes the round stopped midway; measured again, it kills every mutant; verify --strength agrees', async () => {
  const config = (yaml: string) =>
    PROOF_CONFIG(yaml)
      .replace('node --test --test-reporter=spec {files}', 'python3 {file}')
      .replace('maxRounds: 2', 'maxRounds: 1')
      .replace('strength: off', 'strength: required\n  maxMutants: 4');
  // The account's spend limit stops the run in the middle of round 1 once: a resume does round 1 again.
  let limited = false;
  const h = await harness(
    {
      spec: specAnswer('Discounts', 'discounts', PY_SPEC),
      proof: ({ turn, attempt }) => {
        const [file, body, name] =
          attempt === 1
            ? [WEAK_FILE, PY_EXISTS, 'test_req_1_1_discount_exists']
            : [STRONG_FILE, PY_STRONG, 'test_req_1_1_takes_the_percent_off'];
        // Each round also tries a test that passes on the base: it is not kept.
        if (turn === 0) return say.write({ [file]: body, ...(attempt > 1 ? { [VACUOUS_FILE]: PY_VACUOUS } : {}) });
        if (attempt === 2 && !limited) return ((limited = true), fault.spendLimit());
        const vacuous = attempt > 1 ? [{ criterion: 'REQ-1.1', file: VACUOUS_FILE, name: 'test_req_1_1_always' }] : [];
        const tests = [
          { criterion: 'REQ-1.1', file, name },
          ...vacuous,
          ...(attempt === 1 ? [{ criterion: 'REQ-1.2', untestable: 'checked by REQ-1.1 here' }] : []),
        ];
        return reply.toolUse('submit_proof', { tests });
      },
      backend: ({ turn }) => (turn === 0 ? say.write({ 'server/pricing.py': PY_PRICING }) : say.done()),
      review: () => say.approve(),
    },
    { config },
  );
  try {
    const stopped = await engine.runFeature('Add percentage discounts', h.options());
    assert.equal(stopped.status, 'stopped', stopped.report);
    const summary = await engine.resumeRun(stopped.runId, h.options());
    const journal = journalOf(h.shop, summary.runId) as unknown as EngineEvent[];
    const of = <T extends EngineEvent['type']>(type: T) =>
      journal.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);
    assert.equal(
      summary.status,
      'completed',
      summary.report ?? JSON.stringify(journal.filter((e) => e.type === 'log')),
    );
    const [before, after] = of('proof.strength');
    assert.ok(before && after, JSON.stringify(of('proof.strength')));
    // Round 0: the test that only checks that discount exists lets every sampled mutant through.
    assert.deepEqual([before.round, before.tried, before.survived, before.error], [0, 4, 4, undefined]);
    // Round 1: the proof agent is told each survivor's place and change, and writes a new test file.
    assert.deepEqual(
      of('proof.strengthen').map((e) => [e.round, e.criteria]),
      [[1, ['REQ-1.1']]],
    );
    // Resumed: the same round again (no second proof.strengthen), its task the same, the seed the same.
    const tasks = h
      .callsOf('proof')
      .filter((c) => c.attempt > 1 && c.turn === 0)
      .map((c) => c.task);
    assert.equal(tasks.length, 2);
    assert.equal(tasks[0], tasks[1]);
    const task = tasks[0]!;
    assert.match(task, /## STRENGTH, ROUND 1 OF 1/);
    assert.equal(new Set(of('proof.strengthStarted').map((e) => e.seed)).size, 1);
    for (const s of before.survivors) assert.ok(task.includes(`- server/pricing.py:${s.line} ${s.change}`), task);
    // Red on the base (the module absent there), green now, then frozen beside the first test.
    const added = of('proof.test').filter((e) => e.file === STRONG_FILE);
    assert.deepEqual(
      added.map((e) => e.red),
      ['failed'],
    );
    assert.match(added[0]!.output ?? '', /No module named 'server\.pricing'|ModuleNotFoundError/);
    assert.deepEqual(
      of('proof.green')
        .filter((e) => e.file === STRONG_FILE)
        .map((e) => e.green),
      ['passed'],
    );
    assert.deepEqual(Object.keys(of('proof.frozen').at(-1)!.hashes).sort(), [STRONG_FILE, WEAK_FILE]);
    // The test that passes on the base is refused, said so, and removed from the proof folder.
    assert.deepEqual(
      of('proof.strengthRefused').map((e) => e.tests.map((t) => [e.round, t.criterion, t.file, t.why])),
      [[[1, 'REQ-1.1', VACUOUS_FILE, 'passes on the base (vacuous)']]],
    );
    assert.ok(!existsSync(join(h.shop.dir, VACUOUS_FILE)));
    assert.ok(!of('proof.test').some((e) => e.file === VACUOUS_FILE), 'never part of the proof');
    // Measured again with the same seed: the added test kills every mutant.
    assert.deepEqual([after.round, after.tried, after.killed, after.survived], [1, 4, 4, 0]);
    assert.equal(h.shop.read('server/pricing.py'), PY_PRICING, 'the mutants ran in copies');

    // verify --strength on the completed spec: against the checkpoint commit its run journaled, the
    // same seed's mutants, killed by both frozen tests together.
    const checkpoint = journal.find((e) => e.type === 'checkpoint.created') as Extract<
      EngineEvent,
      { type: 'checkpoint.created' }
    >;
    const { specId } = journal.find((e) => e.type === 'spec.saved') as Extract<EngineEvent, { type: 'spec.saved' }>;
    const verified = await engine.verifySpecs(h.shop.dir, [specId], { trusted: true, strength: true });
    const strength = verified.specs[0]!.strength!;
    assert.equal(strength.error, undefined, strength.error);
    assert.equal(strength.base, checkpoint.commit);
    assert.deepEqual(
      strength.criteria.map((c) => [c.criterion, c.tried, c.killed, c.score]),
      [['REQ-1.1', 4, 4, 100]],
    );
  } finally {
    await h.close();
  }
});

test('strength: required: a proof agent that sends its frozen test again until the loop check stops it ends its round with nothing kept; the run stops at COMPLETE naming the criterion and its surviving mutants, not "agent did not finish"', async () => {
  const config = (yaml: string) =>
    PROOF_CONFIG(yaml)
      .replace('node --test --test-reporter=spec {files}', 'python3 {file}')
      .replace('strength: off', 'strength: required\n  maxMutants: 4');
  const h = await harness(
    {
      spec: specAnswer('Discounts', 'discounts', PY_SPEC),
      proof: ({ turn, attempt }) => {
        if (attempt === 1 && turn === 0) return say.write({ [WEAK_FILE]: PY_EXISTS });
        // Round 1 (maxRounds: 2): a half-written test, then the frozen one sent again and again.
        if (attempt === 2 && turn === 0) return say.write({ [STRONG_FILE]: `${PY_HEADER}# to do\n` });
        return reply.toolUse('submit_proof', {
          tests: [
            { criterion: 'REQ-1.1', file: WEAK_FILE, name: 'test_req_1_1_discount_exists' },
            ...(attempt === 1 ? [{ criterion: 'REQ-1.2', untestable: 'checked by REQ-1.1 here' }] : []),
          ],
        });
      },
      backend: ({ turn }) => (turn === 0 ? say.write({ 'server/pricing.py': PY_PRICING }) : say.done()),
      review: () => say.approve(),
    },
    { config },
  );
  try {
    const summary = await engine.runFeature('Add percentage discounts', h.options());
    const journal = journalOf(h.shop, summary.runId) as unknown as EngineEvent[];
    const of = <T extends EngineEvent['type']>(type: T) =>
      journal.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);
    assert.equal(summary.status, 'stopped');
    const [measured] = of('proof.strength');
    assert.ok(measured && measured.survived > 0, JSON.stringify(of('proof.strength')));
    // One round, ended by the stall with nothing kept; no second round, no second measure.
    assert.deepEqual(
      of('proof.strengthen').map((e) => e.round),
      [1],
    );
    assert.equal(of('proof.strength').length, 1);
    assert.deepEqual(
      of('proof.strengthRefused').map((e) => [e.round, e.tests, e.stalled]),
      [[1, [], 'repeated the same call (loop detected): it sent no new test file']],
    );
    assert.deepEqual(Object.keys(of('proof.frozen').at(-1)!.hashes), [WEAK_FILE]);
    assert.ok(!existsSync(join(h.shop.dir, STRONG_FILE)), 'what the round wrote left the proof folder');
    // After the review, COMPLETE's check names the criterion and each survivor.
    assert.deepEqual(summary.phases.map((p) => p.name).slice(-2), ['IMPLEMENT', 'REVIEW']);
    const report = summary.report ?? '';
    assert.doesNotMatch(report, /agent did not finish/);
    assert.match(report, /a proof is too weak/);
    assert.match(report, /In round 1 the proof agent repeated the same call \(loop detected\)/);
    assert.match(report, new RegExp(`### REQ-1\\.1: ${measured.killed}/${measured.tried} killed`));
    for (const s of measured.survivors)
      assert.ok(report.includes(`- \`server/pricing.py:${s.line}\` ${s.change}`), report);
  } finally {
    await h.close();
  }
});
