// A Python proof test never clashes with the project's own test modules (issue 70, mozilla/bleach):
// examples/till with its tests as plain folders (no `__init__.py`, as bleach's are) and a proof test
// named like the project's own (`tests/acceptance/test_pricing.py` beside `tests/unit/test_pricing.py`).
// pytest's default import mode imports a module outside a package by its basename, so without a
// package of their own the layer's gate `python -m pytest -q tests` stops at collection (`import file
// mismatch`) on every attempt; PROVE writes `tests/acceptance/__init__.py` with the proof test, and
// the gate collects both. Integration: it runs python processes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { engine } from '../../../src/core/engine';
import { reply } from '../../support/messagesApiServer';
import { say, specAnswer } from '../../support/engine/agentScript';
import { harness, journalOf } from '../../support/engine/harness';
import { pythonVenv, type PythonEnv } from '../../support/pythonEnv';
import { TILL_PROOF, TILL_ROUND_HALF_UP, TILL_SPEC, TILL_TESTS } from '../../support/engine/tillDiscounts';

const PROOF_FILE = 'tests/acceptance/test_pricing.py';

let python: PythonEnv;
before(() => {
  python = pythonVenv();
});
after(() => python?.cleanup());

test(
  "a pytest proof test named like one of the project's, whose tests are no packages: a package of its own, and the project's whole suite collects both",
  { timeout: 300_000 },
  async () => {
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
