// The built-in mutator on a Python project run by real pytest (docs/proof.md, "How strength mutates
// code in other languages"): a proof test that only checks the function exists lets the sampled
// mutants survive, each named with its line and change; a test that pins the rule kills every one
// (pytest's plugins not loaded: a second of CPU a run).
// Each mutant is written in a copy while pytest runs; the copy's file is back as it was after. The
// weak test runs through builtinEngine (the proof command, its exit code), as a run's strength does.
// Integration: it runs python processes (pytest when this machine has it, else the test file as a
// plain script, which runs its own tests).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { builtinEngine, sampleMutants } from '../../../src/core/mutation';
import { runCommand } from '../../../src/core/process';
import { applyMutant, builtinMutants } from '../../../src/core/mutation/builtin';
import { type ProofOutcome, runEachMutant } from '../../../src/core/mutation/perMutant';
import { hasPytest } from '../../support/pythonEnv';

const PRICING = `def discounted(price, percent):
    if percent < 0 or percent > 100:
        raise ValueError("percent must be within 0..100, not < 0 or > 100")
    cut = price * percent // 100
    return price - cut
`;

const runsItself =
  '\nif __name__ == "__main__":\n    for name, f in list(globals().items()):\n        if name.startswith("test_"):\n            f()\n';

const WEAK = `from app.pricing import discounted


def test_req_1_1_discounted_exists():
    assert callable(discounted)
${runsItself}`;

const STRONG = `from app.pricing import discounted


def test_req_1_1_takes_the_percentage_off():
    assert discounted(1000, 10) == 900
    assert discounted(999, 50) == 500
    assert discounted(1000, 0) == 1000
    assert discounted(1000, 100) == 0


def test_req_1_1_refuses_a_percentage_out_of_range():
    for percent in (-1, 101):
        try:
            discounted(1000, percent)
        except ValueError:
            continue
        raise AssertionError(f"{percent} was accepted")
${runsItself}`;

function proofCommand(copy: string) {
  return (files: string[], signal?: AbortSignal) =>
    new Promise<ProofOutcome>((resolve) => {
      const [program, args] = hasPytest
        ? ['python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', ...files]]
        : ['python3', ['-m', files[0]!.replace(/\.py$/, '').replaceAll('/', '.')]];
      execFile(
        program,
        args as string[],
        { cwd: copy, signal, env: { ...process.env, PYTHONPATH: copy, PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1' } },
        (error) => {
          // Any exit but 0 is a failure (pytest's 2 is a module that no longer imports); no exit code, a spawn that failed.
          resolve(!error ? 'passed' : typeof (error as { code?: unknown }).code === 'number' ? 'failed' : 'error');
        },
      );
    });
}

test(
  `built-in mutants under ${hasPytest ? 'pytest' : 'python3'}: a test that only checks the function exists lets them survive, named by line; a test of the rule kills every one`,
  { timeout: 120_000 },
  async () => {
    const copy = mkdtempSync(join(tmpdir(), 'orch-pytest-mutants-'));
    try {
      mkdirSync(join(copy, 'app'));
      mkdirSync(join(copy, 'tests'));
      writeFileSync(join(copy, 'app/__init__.py'), '');
      writeFileSync(join(copy, 'tests/__init__.py'), '');
      writeFileSync(join(copy, 'app/pricing.py'), PRICING);
      writeFileSync(join(copy, 'tests/test_weak.py'), WEAK);
      writeFileSync(join(copy, 'tests/test_strong.py'), STRONG);
      const mutants = builtinMutants({
        path: 'app/pricing.py',
        text: PRICING,
        changed: { path: 'app/pricing.py', ranges: [{ start: 1, end: 5 }] },
      });
      assert.deepEqual(
        mutants.map((m) => `${m.line} ${m.operator} ${m.original} → ${m.replacement}`),
        [
          '2 boundary < → <=',
          '2 comparison < → >=',
          '2 constant 0 → 1',
          '2 boolean or → and',
          '2 boundary > → >=',
          '2 comparison > → <=',
          '2 constant 100 → 101',
          '4 return cut = price * percent // 100 → return; cut = price * percent // 100',
          '4 statement cut = price * percent // 100 → pass',
          '4 arithmetic * → /',
          '4 constant 100 → 101',
          '5 arithmetic - → +',
        ],
      );
      const run = proofCommand(copy);
      // A process per mutant: a sample of each (every mutant's fate is the same question, and the
      // unit tests cover the list); the strong sample holds mutants that keep the file's size.
      // The weak test through builtinEngine, as the strength step runs it: the proof command (with
      // `{files}`) through the caller's runner, its exit code the verdict.
      // With concurrency 2, each mutant in its own copy at once: the second worker's copy is made
      // from the first and removed after.
      const weakSample = sampleMutants(mutants, 2, 'resume-me');
      const cwds = new Set<string>();
      const weak = await builtinEngine.execute({
        copy,
        mutants: weakSample,
        tests: ['tests/test_weak.py'],
        proof: {
          command: [hasPytest ? 'python3 -m pytest -q -p no:cacheprovider {files}' : 'python3 {file}'],
          tests: ['tests/**'],
          timeoutSec: 60,
        },
        concurrency: 2,
        timeoutSec: 120,
        run: (command, o) => {
          cwds.add(o.cwd);
          return runCommand(command, {
            cwd: o.cwd,
            timeoutSec: o.timeoutSec,
            env: { PYTHONPATH: o.cwd, PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1' },
          });
        },
      });
      assert.equal(weak.error, undefined);
      assert.equal(cwds.size, 2);
      assert.ok(cwds.has(copy));
      assert.ok(
        [...cwds].every((cwd) => cwd === copy || !existsSync(cwd)),
        'the extra copy is removed',
      );
      assert.deepEqual(
        weakSample.map((m) => `${m.line} ${weak.statuses.get(m.id)}`),
        ['2 survived', '4 survived'],
        'two lines, one mutant each, both surviving',
      );
      const sample = sampleMutants(mutants, 6, 'strength');
      assert.ok(
        sample.some((m) => m.original.length === m.replacement.length && m.line > 2),
        'a mutant that keeps the size, after the module was compiled',
      );
      const strong = await runEachMutant({
        apply: applyMutant,
        copy,
        mutants: sample,
        testsFor: () => ({ criteria: ['REQ-1.1'], files: ['tests/test_strong.py'] }),
        runTests: run,
      });
      assert.deepEqual(
        strong
          .filter((r) => r.status !== 'killed')
          .map((r) => `${r.line}:${r.column} ${r.original} → ${r.replacement} ${r.status}`),
        [],
      );
      assert.equal(strong.length, 6);
      assert.equal(readFileSync(join(copy, 'app/pricing.py'), 'utf8'), PRICING);
      assert.equal(await run(['tests/test_strong.py']), 'passed', 'the restored code passes its tests');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  },
);
