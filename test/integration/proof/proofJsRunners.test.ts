// The real AVA and Mocha through the proof command init proposes for them, run as PROVE and GREEN
// run proof tests (proofRun.ts: the sandbox, the minimal environment), each test read from its own
// output: the same test name in two places told apart by its full path, a proof file with a
// syntax error broken while another proof file, in the same command, misses the module the spec
// adds (red). Mocha stops at the first file that cannot load: the others run again without it.
// First, init's probe for the runner, run by its command, reads as verification needs it to.
// Integration: it runs the runners (about a second each).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EngineEvent } from '../../../src/core/events';
import { takeCensus } from '../../../src/core/census/census';
import { censusInMemory } from '../../../src/core/census/init/inMemory';
import { judgeProbe, probeContent } from '../../../src/core/census/proof/proofProbes';
import type { RunContext } from '../../../src/core/pipeline/kernel';
import { redOf } from '../../../src/core/pipeline/proof/provePhase';
import { runProofTests } from '../../../src/core/pipeline/proof/proofRun';
import { type ProofTestRef, withFiles } from '../../../src/core/proofTests';
import { jsRunnerProject, type JsRunner, sandboxReadsSharedModules } from '../../support/jsRunnerProject';
import { useTempDirs } from '../../support/tempDirs';

const tempDir = useTempDirs('proof-js-runners-');
let restorePath: () => void;
before(() => {
  restorePath = sandboxReadsSharedModules();
});
after(() => restorePath());

const PRICE = 'exports.price = (cents) => cents / 100;\n';
/** The spec adds lib/discounts.js: absent on the base. */
const ADDED = ['lib/discounts.js'];
const BROKEN = 'test/acceptance/broken.test.js';
const MISSING = 'test/acceptance/missing.test.js';

/**
 * The proof files written where init's census puts proof tests, then `refs` run as a run runs
 * them, in the project's sandbox, with the proof section that census gives it.
 */
async function prove(
  dir: string,
  proofFiles: Record<string, string>,
  refs: readonly ProofTestRef[],
  expectedCommand: string,
) {
  const { config } = await censusInMemory(dir);
  const census = await takeCensus(dir);
  assert.equal(config.proof.mode, 'required');
  // init's probe, run as its verification runs it, reads as it must.
  const unit = census.proof!.units[0]!;
  mkdirSync(dirname(join(dir, unit.probe)), { recursive: true });
  writeFileSync(join(dir, unit.probe), probeContent(unit));
  const probed = spawnSync('sh', ['-c', `${withFiles(unit.command, [unit.probe])} 2>&1`], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.deepEqual(judgeProbe(probed.status, probed.stdout, unit.probe, unit.runner), { ok: true }, probed.stdout);
  rmSync(join(dir, unit.probe));
  assert.deepEqual([config.proof.tests, config.proof.command], [['test/acceptance/**'], [expectedCommand]]);
  assert.equal(config.sandbox.mode, 'required');
  for (const [path, content] of Object.entries(proofFiles)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  const events: EngineEvent[] = [];
  const ctx = {
    config,
    workspace: dir,
    home: dir,
    runId: 'proof-js-runners',
    opts: {},
    state: () => ({}),
    emit: (e: EngineEvent) => void events.push(e),
  } as unknown as RunContext;
  const runs = await runProofTests(ctx, refs);
  assert.deepEqual(
    events.filter((e) => e.type === 'sandbox.denied'),
    [],
    'the sandbox let the runner read what it needs',
  );
  // Each runner call journaled with the criteria of the tests it ran and its time (issue 58).
  const ran = events.flatMap((e) => (e.type === 'command.ran' ? [e] : []));
  assert.deepEqual(ran.map((e) => e.command).sort(), [...new Set(runs.map((r) => r.command))].sort());
  assert.deepEqual(ran[0]?.criteria, [...new Set(refs.map((r) => r.criterion))]);
  assert.ok(
    ran.every((e) => e.kind === 'proof' && e.ms > 0 && e.exitCode !== null),
    JSON.stringify(ran),
  );
  return refs.map((ref) => {
    const run = runs.find((r) => r.test === ref)!;
    return {
      verdict: run.verdict,
      red: redOf(run, { files: ADDED, spec: '' }),
      output: run.output,
      command: run.command,
    };
  });
}

/** A project tested by `runner` (its own test beside the code), and its proof files: REQ-1 in cart.test.js, a broken one, one missing what the spec adds. */
function project(
  runner: JsRunner,
  cart: string,
  broken: string,
  missing: string,
): { dir: string; proofFiles: Record<string, string> } {
  const dir = jsRunnerProject(
    tempDir(),
    runner,
    {
      'lib/price.js': PRICE,
      'test/price.test.js':
        runner === 'ava'
          ? "const test = require('ava');\ntest('price', (t) => t.is(require('../lib/price').price(100), 1));\n"
          : "const assert = require('node:assert');\nit('price', () => assert.equal(require('../lib/price').price(100), 1));\n",
    },
    { script: runner === 'ava' ? 'ava --verbose' : 'mocha --reporter dot "test/**/*.test.js"' },
  );
  return { dir, proofFiles: { 'test/acceptance/cart.test.js': cart, [BROKEN]: broken, [MISSING]: missing } };
}

test(
  'Mocha: --reporter tap read per test; the same `it` text in two describe blocks told apart; a syntax error broken, a missing module the spec adds red, though Mocha stops at the first',
  { timeout: 120_000 },
  async () => {
    const { dir, proofFiles } = project(
      'mocha',
      "const assert = require('node:assert');\nconst { price } = require('../../lib/price');\ndescribe('cart', () => {\n  it('REQ-1.1 shows euros', () => assert.equal(price(150), 1.5));\n});\ndescribe('checkout', () => {\n  it('REQ-1.1 shows euros', () => assert.equal(price(150), '1.50 €'));\n});\n",
      "it('REQ-2.1 is broken', () => { const = 1; });\n",
      "const assert = require('node:assert');\nconst { discount } = require('../../lib/discounts');\nit('REQ-3.1 takes the percent off', () => assert.equal(discount(100, 10), 90));\n",
    );
    const refs: ProofTestRef[] = [
      { criterion: 'REQ-1.1', file: 'test/acceptance/cart.test.js', name: 'cart > REQ-1.1 shows euros' },
      { criterion: 'REQ-1.1', file: 'test/acceptance/cart.test.js', name: 'checkout > REQ-1.1 shows euros' },
      { criterion: 'REQ-2.1', file: BROKEN, name: 'REQ-2.1 is broken' },
      { criterion: 'REQ-3.1', file: MISSING, name: 'REQ-3.1 takes the percent off' },
    ];
    const [cart, checkout, broken, missing] = await prove(dir, proofFiles, refs, 'npx mocha --reporter tap {files}');
    assert.deepEqual([cart!.verdict, checkout!.verdict], ['passed', 'failed']);
    assert.match(checkout!.output, /AssertionError/);
    assert.equal(broken!.red, 'broken');
    assert.match(broken!.output, /SyntaxError/);
    assert.doesNotMatch(broken!.output, /discounts/);
    assert.equal(missing!.red, 'failed', missing!.output);
    assert.match(missing!.output, /Cannot find module '\.\.\/\.\.\/lib\/discounts'/);
    // Mocha loads the files in order and dies at the first that cannot load: each run after it goes on without that one.
    assert.deepEqual(
      [broken!.command, missing!.command, cart!.command],
      [
        `npx mocha --reporter tap test/acceptance/cart.test.js ${BROKEN} ${MISSING}`,
        `npx mocha --reporter tap test/acceptance/cart.test.js ${MISSING}`,
        'npx mocha --reporter tap test/acceptance/cart.test.js',
      ],
    );
  },
);

test(
  "AVA: --tap read per test, a table's rows told apart by title and the same title in two files by its file; a syntax error broken, a missing module the spec adds red",
  { timeout: 120_000 },
  async () => {
    const { dir, proofFiles } = project(
      'ava',
      "const test = require('ava');\nconst { price } = require('../../lib/price');\nfor (const [cents, euros] of [[150, 1.5], [99, '0.99 €']]) test(`REQ-1.1 shows ${cents} cents`, (t) => t.is(price(cents), euros));\ntest('REQ-1.2 shows zero', (t) => t.is(price(0), 0));\n",
      "const test = require('ava');\ntest('REQ-2.1 is broken', (t) => { const = 1; });\n",
      "const test = require('ava');\nconst { discount } = require('../../lib/discounts');\ntest('REQ-3.1 takes the percent off', (t) => t.is(discount(100, 10), 90));\n",
    );
    const refs: ProofTestRef[] = [
      { criterion: 'REQ-1.1', file: 'test/acceptance/cart.test.js', name: 'REQ-1.1 shows 150 cents' },
      { criterion: 'REQ-1.1', file: 'test/acceptance/cart.test.js', name: 'REQ-1.1 shows 99 cents' },
      { criterion: 'REQ-1.2', file: 'test/acceptance/cart.test.js', name: 'REQ-1.2 shows zero' },
      { criterion: 'REQ-2.1', file: BROKEN, name: 'REQ-2.1 is broken' },
      { criterion: 'REQ-3.1', file: MISSING, name: 'REQ-3.1 takes the percent off' },
      // The same title in another file is not this one.
      { criterion: 'REQ-1.2', file: MISSING, name: 'REQ-1.2 shows zero' },
    ];
    const [row150, row99, zero, broken, missing, elsewhere] = await prove(
      dir,
      proofFiles,
      refs,
      'npx ava --tap {files}',
    );
    assert.deepEqual([row150!.verdict, row99!.verdict, zero!.verdict], ['passed', 'failed', 'passed']);
    assert.equal(broken!.red, 'broken');
    assert.match(broken!.output, /SyntaxError/);
    assert.doesNotMatch(broken!.output, /discounts/);
    assert.equal(missing!.red, 'failed', missing!.output);
    assert.match(missing!.output, /Cannot find module '\.\.\/\.\.\/lib\/discounts'/);
    assert.equal(elsewhere!.verdict, 'unreported');
  },
);
