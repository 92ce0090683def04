// Each proof test's result read from its runner's own output (proofTests/testResults.ts; RED's missing names: pipeline/proof/proofOutcome.ts). The outputs in
// test/fixtures/runnerOutput were printed by real runs (pytest 9.1.1 with Hypothesis 6.168.3 on
// Python 3.11, `python -m pytest -rA -v <file>`; Node 24's `node --test --test-reporter=spec`) of
// a pricing feature's proof tests, their paths then moved under /home/dev.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import {
  missingBuildOutput,
  missingNames,
  missingWhatSpecAdds,
  specAdds,
} from '../../../src/core/pipeline/proof/proofOutcome';
import { outputOf, testVerdicts, type ProofTestRef } from '../../../src/core/proofTests';
import { redOf } from '../../../src/core/pipeline/proof/provePhase';

const output = (name: string): string => readFileSync(join(__dirname, '../../fixtures/runnerOutput', name), 'utf8');

const FILE = 'tests/acceptance/test_discounts.py';
const PROPERTY: ProofTestRef = {
  criterion: 'REQ-1.1',
  file: FILE,
  name: 'test_req_1_1_discounted_price_stays_between_zero_and_the_price',
};
const EXAMPLE: ProofTestRef = {
  criterion: 'REQ-1.2',
  file: FILE,
  name: 'test_req_1_2_fifteen_percent_off_1999_cents_is_1699',
};

/** The spec the tests prove: it changes app/pricing.py (which exists) and names the function it adds. */
const SPEC = `### Requirements
#### REQ-1: Percentage discount
**Acceptance criteria**
- REQ-1.1: For any price in cents and any whole percent from 0 to 100, THE pricing module SHALL return a discounted price between 0 and the price.
- REQ-1.2: WHEN 15 percent is taken off 1999 cents THE pricing module SHALL return 1699 cents.

### Files to Create/Modify
- [ ] \`app/pricing.py\`: discounted(price_cents, percent), rounding half up to the cent
`;

test('pytest -rA -v on the base: each test by its test_req_… name, red by its own failure (an import inside the test, a Hypothesis property whose failing case pytest prints)', () => {
  const red = output('pytest-red-on-base.txt');
  assert.deepEqual(testVerdicts(red, [PROPERTY, EXAMPLE]), ['failed', 'failed']);
  // By the criterion id alone too: a test submitted without its name.
  assert.deepEqual(
    testVerdicts(red, [
      { criterion: 'REQ-1.1', file: FILE },
      { criterion: 'REQ-1.2', file: FILE },
    ]),
    ['failed', 'failed'],
  );
  const property = outputOf(red, PROPERTY);
  assert.match(property, /ImportError: cannot import name 'discounted'/);
  assert.match(property, /Failing test case: test_req_1_1_/);
});

test('pytest after an implementation: a PASSED line passes its test, a FAILED one fails its own only, whatever the summary line says', () => {
  const after = output('pytest-one-passes.txt');
  assert.match(after, /1 failed, 1 passed/);
  assert.deepEqual(testVerdicts(after, [PROPERTY, EXAMPLE]), ['passed', 'failed']);
  assert.match(outputOf(after, EXAMPLE), /assert 1700 == 1699/);
  // A Hypothesis property falsified by a generated case fails; the case is in its output.
  const falsified = output('pytest-property-falsified.txt');
  assert.deepEqual(testVerdicts(falsified, [PROPERTY, EXAMPLE]), ['failed', 'failed']);
  assert.match(outputOf(falsified, PROPERTY), /assert 0 <= -1/);
});

test('a pytest collection error reports no test of its file: red when a name the spec adds is missing, broken for its own syntax or a name the spec never gives', () => {
  const missing = output('pytest-collection-missing-name.txt');
  assert.match(missing, /Interrupted: 1 error during collection/);
  assert.deepEqual(testVerdicts(missing, [PROPERTY]), ['unreported']);
  // app/pricing.py exists: no absent file explains it, the name `discounted` the spec gives does.
  assert.equal(
    missingWhatSpecAdds(missing, { files: [], spec: '' }),
    false,
    "without the spec's text this is the old reading: broken",
  );
  assert.equal(missingWhatSpecAdds(missing, { files: [], spec: SPEC }), true);
  assert.equal(
    redOf(
      {
        test: PROPERTY,
        verdict: 'unreported',
        command: 'python -m pytest -rA -v tests/acceptance/test_discounts.py',
        exitCode: 2,
        output: missing,
      },
      { files: [], spec: SPEC },
    ),
    'failed',
  );

  // The same error for a name the spec does not give (the test's own mistake) is broken, and a
  // word of the spec's prose is not a name it adds.
  const unknown = output('pytest-collection-unknown-name.txt');
  assert.deepEqual(missingNames(unknown), ['discount_price']);
  assert.equal(missingWhatSpecAdds(unknown, { files: [], spec: SPEC }), false);
  assert.equal(
    missingWhatSpecAdds(missing, { files: [], spec: 'THE pricing module SHALL return a discounted price.' }),
    false,
  );

  const syntax = output('pytest-collection-syntax-error.txt');
  assert.deepEqual(testVerdicts(syntax, [EXAMPLE]), ['unreported'], 'its source line names the test, but no result');
  assert.equal(missingWhatSpecAdds(syntax, { files: [], spec: SPEC }), false);
  assert.equal(
    redOf(
      { test: EXAMPLE, verdict: 'unreported', command: 'python -m pytest', exitCode: 2, output: syntax },
      { files: [], spec: SPEC },
    ),
    'broken',
  );
  // A module the spec adds, missing on the base (`from app.discounts import …`): red, as before.
  assert.equal(
    missingWhatSpecAdds("E   ModuleNotFoundError: No module named 'app.discounts'", {
      files: ['app/discounts.py'],
      spec: '',
    }),
    true,
  );
});

test('node --test: an ES module test file that cannot load for want of the export the spec adds is red', () => {
  const esm = output('node-test-esm-missing-export.txt');
  const ref: ProofTestRef = {
    criterion: 'REQ-1.1',
    file: 'server/test/acceptance/pricing.test.mjs',
    name: 'REQ-1.1 takes the percent off and rounds to cents',
  };
  assert.deepEqual(testVerdicts(esm, [ref]), ['unreported']);
  assert.deepEqual(missingNames(esm), ['discount']);
  assert.equal(
    missingWhatSpecAdds(esm, { files: [], spec: '- [ ] `server/pricing.mjs`: discount(price, percent)' }),
    true,
  );
  assert.equal(missingWhatSpecAdds(esm, { files: [], spec: '- [ ] `server/pricing.mjs`: total(lines)' }), false);
});

test("a test that cannot load what the project's build makes (`Cannot find module '../../index'`, `/index.js` git-ignored, absent from the base) is broken, even where the runner reports it failed or the spec adds a file of that name", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'orch-unbuilt-'));
  try {
    const file = 'test/acceptance/validators.test.js';
    mkdirSync(join(dir, 'test/acceptance'), { recursive: true });
    writeFileSync(join(dir, '.gitignore'), 'node_modules\n/lib\n/index.js\n');
    writeFileSync(join(dir, file), "require('../../index');\nrequire('../../src/lib/isSurrogate');\n");
    // Node's own words for it, from a real run.
    const run = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8' });
    assert.match(run.stderr, /Cannot find module '\.\.\/\.\.\/index'/);
    assert.equal(await missingBuildOutput(dir, file, run.stderr), true);
    const ref: ProofTestRef = { criterion: 'REQ-1.1', file, name: 'REQ-1.1 counts surrogate pairs' };
    for (const verdict of ['failed', 'unreported'] as const)
      assert.equal(
        redOf(
          { test: ref, verdict, command: 'npx mocha', exitCode: 1, output: run.stderr },
          { files: ['index.js'], spec: '' },
          true,
        ),
        'broken',
      );
    assert.equal(
      redOf(
        { test: ref, verdict: 'unreported', command: 'npx mocha', exitCode: 1, output: run.stderr },
        { files: ['index.js'], spec: '' },
      ),
      'failed',
      'without it, a stem the spec adds made it red',
    );
    // A module the spec adds (not ignored), or build output that is there: no such reading.
    const added = "Error: Cannot find module '../../src/lib/isSurrogate'";
    assert.equal(await missingBuildOutput(dir, file, added), false);
    writeFileSync(join(dir, 'index.js'), '');
    assert.equal(await missingBuildOutput(dir, file, run.stderr), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("TypeScript's TS2339 on a member of a type declared in a file the spec changes (ts-jest type-checking `service.set(…)` on the base) is red; on a type the spec leaves alone, broken", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'orch-ts-member-'));
  try {
    mkdirSync(join(dir, 'lib'));
    mkdirSync(join(dir, 'tests'));
    writeFileSync(
      join(dir, 'lib/config.service.ts'),
      'export class ConfigService<K = unknown, W extends boolean = false> {\n  get(key: string): K | undefined { return undefined; }\n}\nexport interface Options { path?: string }\n',
    );
    writeFileSync(
      join(dir, 'tests/update-env.spec.ts'),
      "import { ConfigService } from '../lib/config.service';\nconst service = new ConfigService<unknown, boolean>();\nservice.set('URL', 'yourapp.test');\n",
    );
    // The compiler's own words, as ts-jest prints them.
    const program = ts.createProgram([join(dir, 'tests/update-env.spec.ts')], {
      strict: true,
      noEmit: true,
      noLib: true,
      types: [],
    });
    const output = ts.formatDiagnostics(ts.getPreEmitDiagnostics(program), {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => dir,
      getNewLine: () => '\n',
    });
    assert.match(output, /error TS2339: Property 'set' does not exist on type 'ConfigService<unknown, boolean>'/);
    const changes = '- [ ] `lib/config.service.ts`: values set at run time win over the environment';
    const adds = await specAdds(dir, changes, ['lib/config.service.ts']);
    assert.deepEqual(adds.files, []);
    assert.deepEqual([...adds.types!].sort(), ['ConfigService', 'Options']);
    assert.equal(missingWhatSpecAdds(output, adds), true);
    // A spec that changes another file: the test's own mistake, broken.
    writeFileSync(join(dir, 'lib/loader.ts'), 'export function load(): void {}\n');
    assert.equal(missingWhatSpecAdds(output, await specAdds(dir, '`lib/loader.ts`', ['lib/loader.ts'])), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
