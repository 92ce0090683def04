// Each proof test read from its own runner's output, for every common JavaScript runner
// (proofTests: report.ts and its readers). The outputs in test/fixtures/runnerOutput were printed by
// the real runners this repository pins (Node 24's node --test with the tap and spec reporters,
// Jest 30 --verbose, Vitest 5 with the verbose and tap reporters, AVA 7 --tap, Mocha 12 --reporter
// tap, tap 21 --reporter=tap, Jasmine 7, uvu 0.5 run by node) on one small project: test/a.test.js
// (`cart` › REQ-1.1 passes; `checkout` › REQ-1.1, the same name, and REQ-1.2 fail), a file with a
// syntax error (REQ-2.1) and a file whose module the spec adds is missing (REQ-3.1, lib/discounts).
// Paths were moved under /home/dev/shop, colours and stack frames past the second cut.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTests, type ProofTestRef, type TestReading } from '../../../src/core/proofTests';
import { redOf } from '../../../src/core/pipeline/proof/provePhase';

const output = (name: string): string => readFileSync(join(__dirname, '../../fixtures/runnerOutput', name), 'utf8');

const A = 'test/a.test.js';
const CART: ProofTestRef = { criterion: 'REQ-1.1', file: A, name: 'cart > REQ-1.1 adds an item' };
const CHECKOUT: ProofTestRef = { criterion: 'REQ-1.1', file: A, name: 'checkout › REQ-1.1 adds an item' };
const REFUSES: ProofTestRef = { criterion: 'REQ-1.2', file: A, name: 'REQ-1.2 refuses a negative price' };
const BROKEN: ProofTestRef = { criterion: 'REQ-2.1', file: 'test/broken.test.js', name: 'REQ-2.1 is broken' };
const MISSING: ProofTestRef = {
  criterion: 'REQ-3.1',
  file: 'test/missing.test.js',
  name: 'discounts > REQ-3.1 takes the percent off',
};
const FILES = [A, BROKEN.file, MISSING.file];
/** The spec adds lib/discounts.js: absent on the base. */
const ADDED = ['lib/discounts.js'];

const red = (test: ProofTestRef, reading: TestReading, exitCode = 1) =>
  redOf({ test, verdict: reading.verdict, command: 'x', exitCode, output: reading.output }, { files: ADDED, spec: '' });

/** The three-file run every runner that goes on past a dead file reports alike. */
function judgesThreeFiles(fixture: string): void {
  const [cart, checkout, refuses, broken, missing] = readTests(
    output(fixture),
    1,
    [CART, CHECKOUT, REFUSES, BROKEN, MISSING],
    { files: FILES },
  );
  assert.deepEqual(
    [cart!.verdict, checkout!.verdict, refuses!.verdict],
    ['passed', 'failed', 'failed'],
    `${fixture}: the same name in two describe blocks told apart by its full path`,
  );
  assert.equal(broken!.verdict, 'unreported');
  assert.match(broken!.output, /SyntaxError|Unexpected token|failed to parse/);
  assert.doesNotMatch(
    broken!.output,
    /discounts/,
    `${fixture}: the dead file's output is its own, not its neighbour's`,
  );
  assert.equal(
    red(BROKEN, broken!),
    'broken',
    `${fixture}: a syntax error is broken even when another file's module is missing`,
  );
  assert.equal(missing!.verdict, 'unreported');
  assert.match(missing!.output, /Cannot find module '\.\.\/lib\/discounts'/);
  assert.equal(red(MISSING, missing!), 'failed', `${fixture}: red for want of the module the spec adds`);
  // The bare name: both tests of that name; the failing one fails it.
  assert.equal(readTests(output(fixture), 1, [{ ...CART, name: 'REQ-1.1 adds an item' }])[0]!.verdict, 'failed');
}

test('node --test, tap and spec reporters: a file that cannot load is a failure named by its path, its stderr just before: broken, and the file missing a module the spec adds red', () => {
  judgesThreeFiles('node-test-tap-three-files.txt');
  judgesThreeFiles('node-test-spec-three-files.txt');
  // The spec reporter's `failing tests` section gives each failure its file and its error.
  const [checkout] = readTests(output('node-test-spec-three-files.txt'), 1, [CHECKOUT], { files: FILES });
  assert.match(checkout!.output, /AssertionError \[ERR_ASSERTION\]: 1 == 2/);
  assert.equal(
    readTests(output('node-test-spec-three-files.txt'), 1, [{ ...CHECKOUT, file: 'test/other.test.js' }])[0]!.verdict,
    'unreported',
    "a failure in another file is not this file's",
  );
});

test('Jest --verbose, Vitest verbose and tap, tap: tests by file and describe path, `Test suite failed to run` and a dead file by its own block', () => {
  judgesThreeFiles('jest-verbose-three-files.txt');
  judgesThreeFiles('vitest-verbose-three-files.txt');
  judgesThreeFiles('vitest-tap-three-files.txt');
  judgesThreeFiles('tap-three-files.txt');
  const [checkout] = readTests(output('jest-verbose-three-files.txt'), 1, [CHECKOUT], { files: FILES });
  assert.match(checkout!.output, /● checkout › REQ-1\.1 adds an item[\s\S]*Expected: 2/);
  assert.doesNotMatch(checkout!.output, /● checkout › REQ-1\.2/, 'only its own failure block');
});

test('AVA --tap: `file › title`, an it.each-like table told apart by its titles, a dead worker by its exit line and the uncaught exception that names its file, among the tests of other files', () => {
  const refs: ProofTestRef[] = [
    { criterion: 'REQ-1.1', file: A, name: 'REQ-1.1 adds an item' },
    { criterion: 'REQ-1.2', file: A, name: 'REQ-1.2 refuses a negative price' },
    { criterion: 'REQ-1.3', file: A, name: 'REQ-1.3 rounds 1' },
    { criterion: 'REQ-1.3', file: A, name: 'a › REQ-1.3 rounds 2' },
    { criterion: 'REQ-2.1', file: BROKEN.file, name: 'REQ-2.1 is broken' },
    { criterion: 'REQ-3.1', file: MISSING.file, name: 'REQ-3.1 takes the percent off' },
  ];
  const readings = readTests(output('ava-tap-three-files.txt'), 1, refs, { files: FILES });
  assert.deepEqual(
    readings.map((r) => r.verdict),
    ['passed', 'failed', 'passed', 'failed', 'unreported', 'unreported'],
  );
  assert.match(readings[1]!.output, /Difference \(- actual, \+ expected\)/);
  assert.equal(red(refs[4]!, readings[4]!), 'broken');
  assert.equal(red(refs[5]!, readings[5]!), 'failed');
  // By its criterion id alone: both REQ-1.3 rows, one failing.
  assert.equal(
    readTests(output('ava-tap-three-files.txt'), 1, [{ criterion: 'REQ-1.3', file: A }])[0]!.verdict,
    'failed',
  );
});

test('Mocha --reporter tap: one flat line per test, its full title joined by spaces; a file that cannot load stops the run, and only that file owns what it says', () => {
  const readings = readTests(output('mocha-tap.txt'), 2, [CART, CHECKOUT, REFUSES], { files: [A] });
  assert.deepEqual(
    readings.map((r) => r.verdict),
    ['passed', 'failed', 'failed'],
  );
  assert.match(readings[1]!.output, /AssertionError \[ERR_ASSERTION\]: 1 == 2/);
  // The run died at broken.test.js: no TAP at all. Its output names that file only.
  const [cart, broken, missing] = readTests(output('mocha-tap-load-failure.txt'), 1, [CART, BROKEN, MISSING], {
    files: FILES,
  });
  assert.equal(broken!.verdict, 'unreported');
  assert.match(broken!.output, /SyntaxError: Unexpected token/);
  assert.equal(red(BROKEN, broken!), 'broken');
  assert.deepEqual(
    [cart!, missing!],
    [
      { verdict: 'unreported', output: '' },
      { verdict: 'unreported', output: '' },
    ],
    'nothing of their own: PROVE runs them again without it',
  );
});

test('Jasmine and uvu name only failures: a test not named in a run that reached its summary passed, a pending one did not run, a run that died reads nothing', () => {
  const spec = (name: string, file = 'spec/a.spec.js'): ProofTestRef => ({
    criterion: /REQ-[\d.]+/.exec(name)![0],
    file,
    name,
  });
  const jasmine = readTests(output('jasmine-two-files.txt'), 3, [
    spec('cart REQ-1.1 adds an item'),
    spec('checkout > REQ-1.1 adds an item'),
    spec('s REQ-5.1 pending', 'spec/skip.spec.js'),
    spec('REQ-5.2 throws', 'spec/skip.spec.js'),
  ]);
  assert.deepEqual(
    jasmine.map((r) => r.verdict),
    ['passed', 'failed', 'unreported', 'failed'],
  );
  assert.match(jasmine[3]!.output, /Error: boom/);
  const [dead] = readTests(
    output('jasmine-load-failure.txt'),
    1,
    [spec('discounts REQ-3.1 takes the percent off', 'spec/missing.spec.js')],
    { files: ['spec/a.spec.js', 'spec/missing.spec.js'] },
  );
  assert.equal(dead!.verdict, 'unreported');
  assert.match(dead!.output, /Cannot find module '\.\.\/lib\/discounts'/);

  const uvu = readTests(output('uvu-file.txt'), 1, [CART, CHECKOUT, REFUSES], { files: [A], perFile: true });
  assert.deepEqual(
    uvu.map((r) => r.verdict),
    ['passed', 'failed', 'failed'],
  );
  assert.match(uvu[1]!.output, /FAIL\s+checkout\s+"REQ-1\.1 adds an item"[\s\S]*Expected values to be strictly equal/);
});

test("a script no reader knows, run once per file: its exit code is the file's verdict, a file that cannot load is not a failing test", () => {
  const ref: ProofTestRef = { criterion: 'REQ-1.1', file: A, name: 'REQ-1.1 adds an item' };
  const opts = { files: [A], perFile: true };
  assert.equal(
    readTests('> shop@1.0.0 test\n> custom-runner test/a.test.js\n\n3 fine\n', 0, [ref], opts)[0]!.verdict,
    'passed',
  );
  assert.equal(
    readTests('> custom-runner test/a.test.js\n\nexpected 1 to equal 2\n', 1, [ref], opts)[0]!.verdict,
    'failed',
  );
  const dead = readTests(
    "> custom-runner test/a.test.js\n\nError: Cannot find module '../lib/discounts'\n",
    1,
    [ref],
    opts,
  )[0]!;
  assert.deepEqual(dead.verdict, 'unreported');
  assert.equal(red(ref, dead), 'failed');
  assert.equal(red(ref, readTests("SyntaxError: Unexpected token '='\n", 1, [ref], opts)[0]!), 'broken');
});
