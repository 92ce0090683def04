// Proof per criterion on a Python project (docs/proof.md): examples/till, a package tested with
// pytest, Hypothesis among its test dependencies. The proof agent is told the project has
// Hypothesis and asked for a property where a criterion is quantified ("for any …"); its tests
// run with the environment's python (a venv of this test's own, first on PATH, as an activated
// venv is) through `python -m pytest -rA -v {files}`, red on the base, frozen; the layer's first
// implementation fails one in GREEN (Python's round() rounds half to even) and its retry reads
// pytest's own failure; then both are proven. STRENGTH after GREEN (proof.strength: report, one
// mutant a criterion: each is a pytest run) runs a built-in mutant of the new function's lines
// against each criterion's frozen test by the same command. A proof test named like one of the
// project's own whose tests are plain folders (issue 70, mozilla/bleach) is a module of a package of
// its own: the project's whole suite collects both. Integration: it runs python processes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { engine } from '../../../src/core/engine';
import type { EngineEvent } from '../../../src/core/events';
import { proofOfRun } from '../../../src/core/trace';
import { reply } from '../../support/messagesApiServer';
import { say, specAnswer } from '../../support/engine/agentScript';
import { harness, journalOf } from '../../support/engine/harness';
import { pythonVenv, type PythonEnv } from '../../support/pythonEnv';
import {
  TILL_PROOF,
  TILL_PROOF_FILE,
  TILL_ROUND_HALF_EVEN,
  TILL_ROUND_HALF_UP,
  TILL_SPEC,
  TILL_TESTS,
} from '../../support/engine/tillDiscounts';

let python: PythonEnv;
before(() => {
  python = pythonVenv();
});
after(() => python?.cleanup());

type Journal = (EngineEvent & { seq: number })[];
const ofType = <T extends EngineEvent['type']>(journal: Journal, type: T) =>
  journal.filter((e): e is Extract<EngineEvent, { type: T }> & { seq: number } => e.type === type);

test(
  "proof on a Python project: a Hypothesis property and an example test written before the code, red on the base under pytest, frozen; the layer's half-even rounding fails one and its retry reads pytest's output; then both criteria are proven",
  { timeout: 300_000 },
  async () => {
    const deactivate = python.activate();
    const h = await harness(
      {
        spec: specAnswer('Percentage discounts', 'percentage-discounts', TILL_SPEC),
        proof: ({ turn }) =>
          turn === 0
            ? say.write({ [TILL_PROOF_FILE]: TILL_PROOF })
            : reply.toolUse('submit_proof', { tests: TILL_TESTS }),
        app: ({ turn, attempt }) =>
          turn === 0
            ? say.write({ 'app/pricing.py': attempt === 1 ? TILL_ROUND_HALF_EVEN : TILL_ROUND_HALF_UP })
            : say.done(),
        review: () => say.approve(),
      },
      {
        example: 'till',
        config: (yaml) => yaml.replace('maxRounds: 2', 'maxRounds: 2\n  strength: report\n  maxMutants: 1'),
      },
    );
    try {
      const summary = await engine.runFeature('Take a percentage off a price', h.options());
      assert.equal(summary.status, 'completed', summary.error ?? summary.report);
      const journal = journalOf(h.shop, summary.runId) as unknown as Journal;

      // The proof agent saw Hypothesis (the census read pyproject.toml's test extra), the quantified
      // criterion asked for as a property, the module the spec changes and a test of the project.
      const proofTask = h.callsOf('proof')[0]!.task;
      assert.match(
        proofTask,
        /## PROPERTY-BASED TESTING\nThe project has hypothesis: use it for the quantified criteria\./,
      );
      assert.match(
        proofTask,
        /- REQ-1\.1: For any price in cents .* \(quantified: write a property\)\n- REQ-1\.2: WHEN the discounted price falls between two cents [^\n]*1891 cents\)\.\n/,
        'an example is asked for the other',
      );
      assert.match(proofTask, /### app\/pricing\.py\n```\n"""Prices in whole cents/);
      assert.match(
        proofTask,
        /## AN EXISTING TEST OF THE PROJECT \(its conventions\)\n### tests\/unit\/test_pricing\.py/,
      );

      // RED on the base, read from pytest's -rA/-v lines: each test failed for want of `discounted`.
      const reds = ofType(journal, 'proof.test');
      assert.deepEqual(
        reds.map((e) => [e.criterion, e.name, e.red]),
        TILL_TESTS.map((t) => [t.criterion, t.name, 'failed']),
      );
      for (const red of reds)
        assert.match(red.output ?? '', new RegExp(`${red.name} FAILED|FAILED ${TILL_PROOF_FILE}::${red.name}`));
      assert.match(reds[0]!.output ?? '', /ImportError: cannot import name 'discounted' from 'app\.pricing'/);
      // Hypothesis reports the falsified property (its words differ by version: "Falsifying example", "Failing test case").
      assert.match(
        reds[0]!.output ?? '',
        /Falsifying example: test_req_1_1_|Failing test case: test_req_1_1_/,
        'Hypothesis ran the property',
      );
      assert.ok(!journal.some((e) => e.type === 'proof.sentBack'));
      const frozen = ofType(journal, 'proof.frozen')[0]!;
      assert.deepEqual(Object.keys(frozen.hashes), [TILL_PROOF_FILE]);
      const firstApp = journal.findIndex((e) => e.type === 'agent.started' && e.agent === 'app');
      assert.ok(frozen.seq < journal[firstApp]!.seq, 'frozen before the layer started');
      assert.match(
        (h.callsOf('app')[0]!.req.body.system as { text: string }[]).map((b) => b.text).join('\n'),
        /## PROOF TESTS \(frozen\)\n[\s\S]*- tests\/acceptance\/test_discounts\.py/,
      );

      // GREEN: the layer's validate ran its unit tests with the same python, then the proof tests; the
      // first implementation kept the property but not the rounding, and the retry carried pytest's failure.
      const validations = ofType(journal, 'validation.started').map((e) => e.command);
      assert.deepEqual(validations, ['python -m pytest -q tests/unit', 'python -m pytest -q tests/unit']);
      const failed = ofType(journal, 'validation.failed');
      assert.equal(failed.length, 1);
      assert.equal(failed[0]!.command, `python -m pytest -rA -v ${TILL_PROOF_FILE}`);
      assert.match(
        failed[0]!.output,
        /^Proof test failed: REQ-1\.2 — WHEN the discounted price falls between two cents/,
      );
      assert.match(failed[0]!.output, /assert 1890 == 1891/);
      const greens = ofType(journal, 'proof.green').map((e) => [e.criterion, e.green]);
      assert.deepEqual(greens, [
        ['REQ-1.1', 'passed'],
        ['REQ-1.2', 'failed'],
        ['REQ-1.1', 'passed'],
        ['REQ-1.2', 'passed'],
      ]);
      const retry = h.callsOf('app').find((c) => c.turn === 0 && c.attempt === 2)!;
      assert.match(retry.task, /## RETRY MODE/);
      assert.match(retry.task, /Test: tests\/acceptance\/test_discounts\.py › test_req_1_2_rounds_half_a_cent_up/);
      assert.match(retry.task, /assert 1890 == 1891/);
      assert.deepEqual(summary.retries, { app: 1 });

      assert.equal(h.shop.read(TILL_PROOF_FILE), TILL_PROOF, "the frozen test is the proof agent's");
      assert.equal(h.shop.read('app/pricing.py'), TILL_ROUND_HALF_UP);
      const proofs = proofOfRun(journal);
      assert.deepEqual(
        [...proofs].map(([id, p]) => [id, p.red, p.green, p.status]),
        [
          ['REQ-1.1', 'failed', 'passed', 'proven'],
          ['REQ-1.2', 'failed', 'passed', 'proven'],
        ],
      );
      // STRENGTH: each criterion's mutant of the function's lines, judged by pytest's exit code in a
      // copy; a survivor is named by its line (which mutant, and whether it survives, is the seed's).
      const started = ofType(journal, 'proof.strengthStarted');
      assert.deepEqual(
        started.map((e) => e.criteria),
        [['REQ-1.1', 'REQ-1.2']],
        JSON.stringify(ofType(journal, 'log').filter((e) => e.message.startsWith('strength'))),
      );
      const strength = ofType(journal, 'proof.strength');
      assert.deepEqual(
        strength.map((s) => [s.criterion, s.tried, s.killed + s.survived, s.error]),
        [
          ['REQ-1.1', 1, 1, undefined],
          ['REQ-1.2', 1, 1, undefined],
        ],
      );
      const defLine = TILL_ROUND_HALF_UP.slice(0, TILL_ROUND_HALF_UP.indexOf('def discounted')).split('\n').length;
      for (const s of strength.flatMap((e) => e.survivors)) {
        assert.equal(s.file, 'app/pricing.py');
        assert.ok(
          s.line >= defLine && h.shop.read('app/pricing.py').split('\n')[s.line - 1]!.trim().length > 0,
          JSON.stringify(s),
        );
        assert.match(s.change, / → /);
      }
      assert.equal(h.shop.read('app/pricing.py'), TILL_ROUND_HALF_UP, 'the mutants were written in a copy');
      // pytest's and Hypothesis's caches are the project's to ignore (its .gitignore): nothing of them is the run's change.
      assert.deepEqual(summary.filesChanged.sort(), ['app/pricing.py', TILL_PROOF_FILE].sort());
    } finally {
      deactivate();
      await h.close();
    }
  },
);

test(
  "a pytest proof test named like one of the project's, whose tests are no packages: a package of its own, and the project's whole suite collects both",
  { timeout: 300_000 },
  async () => {
    const PROOF_FILE = 'tests/acceptance/test_pricing.py';
    const deactivate = python.activate();
    const h = await harness(
      {
        spec: specAnswer('Percentage discounts', 'percentage-discounts', TILL_SPEC),
        proof: ({ turn }) =>
          turn === 0
            ? say.write({ [PROOF_FILE]: TILL_PROOF })
            : reply.toolUse('submit_proof', { tests: TILL_TESTS.map((t) => ({ ...t, file: PROOF_FILE })) }),
        app: ({ turn }) => (turn === 0 ? say.write({ 'app/pricing.py': TILL_ROUND_HALF_UP }) : say.done()),
        review: () => say.approve(),
      },
      {
        example: 'till',
        config: (yaml) => yaml.replace('python -m pytest -q tests/unit', 'python -m pytest -q tests'),
      },
    );
    try {
      for (const init of ['tests/__init__.py', 'tests/unit/__init__.py']) rmSync(join(h.shop.dir, init));
      h.shop.git('add', '-A');
      h.shop.git('commit', '-q', '-m', 'tests as plain folders');
      const summary = await engine.runFeature('Take a percentage off a price', h.options());
      assert.equal(summary.status, 'completed', summary.error ?? summary.report);
      assert.ok(existsSync(join(h.shop.dir, 'tests/acceptance/__init__.py')));
      assert.ok(!existsSync(join(h.shop.dir, 'tests/__init__.py')), "the project's folders are left as they are");
      const journal = journalOf(h.shop, summary.runId);
      assert.ok(!journal.some((e) => e.type === 'validation.failed'), 'the gate collected both test_pricing modules');
      assert.deepEqual(summary.retries, { app: 0 });
    } finally {
      deactivate();
      await h.close();
    }
  },
);
