// The batches with the real runners (src/core/mutation/perMutant): a worker's mutants in one
// process give the verdicts a command per mutant gives, a mutant that never ends included
// (stopped at the proof command's limit, its processes killed). pytest: one Python process
// forking a child per mutant, pytest named by its python or run as a script whose first line
// names it; a batch stopped at the cap leaves the file as it was. node:test: StrykerJS's mutants
// of a project it has no runner plugin for, run through node:test's run() in one Node process, each
// test file in a thread of its own, or in a process where the unmutated tests fail in a thread.
import assert from 'node:assert/strict';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { applyMutant, builtinEngine, builtinMutants } from '../../../src/core/mutation/builtin';
import { type EngineRun, type Mutant, type MutantStatus, strykerEngine } from '../../../src/core/mutation';
import { strykerApply } from '../../../src/core/mutation/stryker/strykerMutants';
import { strykerInstall } from '../../../src/core/mutation/stryker/strykerInstall';
import { jsRunnerProject } from '../../support/jsRunnerProject';
import { runEachMutant } from '../../../src/core/mutation/perMutant';
import { runCommand } from '../../../src/core/process';
import { pythonVenv } from '../../support/pythonEnv';

const CODE = `def countdown(n):
    steps = 0
    while n > 0:
        n -= 1
        steps += 1
    return steps


def label(n):
    if n > 100:
        return "big"
    return "small"
`;
const TEST = `from app.code import countdown, label


def test_countdown():
    assert countdown(3) == 3
    assert countdown(0) == 0


def test_label():
    assert label(5) == "small"
`;
const TESTS = ['tests/test_code.py'];
/**
 * A proof command's limit, the reference's and the batches': a command of its own starts its
 * runtime within it even on a loaded machine (pytest's start took over a second there).
 */
const LIMIT = 4;

/** Processes whose working folder is inside `dir` (none may outlive a batch). */
function runningIn(dir: string): string[] {
  return readdirSync('/proc').filter((pid) => {
    try {
      return /^\d+$/.test(pid) && readlinkSync(`/proc/${pid}/cwd`).startsWith(dir);
    } catch {
      return false;
    }
  });
}

/**
 * What is still running in `dir` once its processes have had `ms` to end: a process killed with
 * its batch (the forked child's parent-death signal) ends a moment after the batch, on a loaded
 * machine some milliseconds after the batch's result.
 */
async function leftRunningIn(dir: string, ms = 3000): Promise<string[]> {
  const until = Date.now() + ms;
  while (runningIn(dir).length > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
  return runningIn(dir);
}

/**
 * Each mutant's verdict from a proof command of its own (LIMIT), what a batch must give; the
 * endless mutant a timeout, the survivor surviving, and some mutant killed.
 */
async function commandPerMutant(
  o: {
    copy: string;
    mutants: Mutant[];
    apply: (text: string, mutant: Mutant) => string;
    tests: string[];
    command: string;
    env?: Record<string, string>;
  },
  endless: Mutant,
  survivor: Mutant,
): Promise<Record<string, MutantStatus>> {
  const results = await runEachMutant({
    apply: o.apply,
    copy: o.copy,
    mutants: o.mutants,
    testsFor: () => ({ criteria: [], files: o.tests }),
    runTests: async (files) => {
      const r = await runCommand(o.command.replace('{files}', files.join(' ')), {
        cwd: o.copy,
        timeoutSec: LIMIT,
        ...(o.env ? { env: o.env } : {}),
      });
      return r.timedOut ? 'timeout' : r.exitCode === 0 ? 'passed' : 'failed';
    },
  });
  const expected = Object.fromEntries(results.map((r) => [r.id, r.status]));
  assert.equal(expected[endless.id], 'timeout');
  assert.equal(expected[survivor.id], 'survived');
  assert.ok(Object.values(expected).includes('killed'));
  return expected;
}

test(
  'pytest batch, real pytest: one forking process per worker gives each mutant the verdict a command of its own gives, an endless one stopped at its limit; a batch stopped at the cap leaves the file as it was',
  { timeout: 180_000 },
  async () => {
    const python = pythonVenv();
    const copy = mkdtempSync(join(tmpdir(), 'orch-pytest-batch-'));
    try {
      const files: Record<string, string> = {
        'app/__init__.py': '',
        'app/code.py': CODE,
        'tests/__init__.py': '',
        'tests/test_code.py': TEST,
        // What pip writes for pytest's console script: its first line names the Python.
        'tools/pytest': `#!${join(python.bin, 'python')}\nimport sys\nfrom pytest import console_main\nif __name__ == "__main__":\n    sys.exit(console_main())\n`,
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(copy, path)), { recursive: true });
        writeFileSync(join(copy, path), text);
      }
      chmodSync(join(copy, 'tools/pytest'), 0o755);
      const all = builtinMutants({
        path: 'app/code.py',
        text: CODE,
        changed: { path: 'app/code.py', ranges: [{ start: 1, end: 12 }] },
      });
      const endless = all.find((m) => m.line === 4 && m.replacement === '+=')!;
      assert.ok(endless, all.map((m) => `${m.line} ${m.original} → ${m.replacement}`).join('\n'));
      const survivor = all.find((m) => m.line === 10 && m.replacement === '>=')!;
      const mutants = [
        endless,
        survivor,
        ...all.filter((m) => m !== endless && m !== survivor && m.line !== 4).slice(0, 4),
      ];
      const env = { PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1' };
      const module = `${join(python.bin, 'python')} -m pytest -q -p no:cacheprovider {files}`;

      // The reference: a proof command per mutant.
      const expected = await commandPerMutant(
        { copy, mutants, apply: applyMutant, tests: TESTS, command: module, env },
        endless,
        survivor,
      );

      const commands: string[] = [];
      const job = (command: string, concurrency: number, proofLimit?: number, cap = 120): EngineRun => ({
        copy,
        mutants,
        tests: TESTS,
        proof: { command: [command], tests: ['tests/**'], ...(proofLimit ? { timeoutSec: proofLimit } : {}) },
        concurrency,
        timeoutSec: cap,
        run: (cmd, o) => {
          commands.push(cmd);
          return runCommand(cmd, { cwd: o.cwd, timeoutSec: o.timeoutSec, env });
        },
      });
      for (const [command, concurrency] of [
        [module, 1],
        ['tools/pytest -q -p no:cacheprovider {files}', 2],
      ] as const) {
        commands.length = 0;
        const { statuses, error } = await builtinEngine.execute(job(command, concurrency, LIMIT));
        assert.equal(error, undefined);
        assert.deepEqual(Object.fromEntries(statuses), expected, command);
        assert.equal(commands.length, concurrency, `one batch per worker: ${commands.join('\n')}`);
        assert.ok(commands.every((c) => c.includes('pytest_batch.py')));
        assert.equal(readFileSync(join(copy, 'app/code.py'), 'utf8'), CODE);
        assert.deepEqual(await leftRunningIn(copy), [], 'the endless mutant left nothing running');
      }

      // No limit of the proof command's own: the cap stops the batch on the endless mutant.
      const capped = await builtinEngine.execute(job(module, 1, undefined, 2));
      assert.match(capped.error ?? '', /the built-in mutator stopped at the time cap \(2 s\) after 0 of 6 mutants/);
      assert.equal(readFileSync(join(copy, 'app/code.py'), 'utf8'), CODE, 'the endless mutant was put back');
      assert.deepEqual(await leftRunningIn(copy), [], 'the batch stopped its endless mutant at the cap');

      // Killed from outside (a cancelled run, the sandbox's limit) with the endless mutant running: it dies with the batch.
      const killed = await builtinEngine.execute({
        ...job(module, 1, undefined, 60),
        run: (cmd, o) => runCommand(cmd, { cwd: o.cwd, timeoutSec: Math.min(o.timeoutSec, 2), env }),
      });
      assert.match(killed.error ?? '', /stopped at the time cap/);
      assert.deepEqual(await leftRunningIn(copy), [], 'nothing of the killed batch is left running');
      assert.equal(readFileSync(join(copy, 'app/code.py'), 'utf8'), CODE, "the killed batch's mutant was put back");
    } finally {
      rmSync(copy, { recursive: true, force: true });
      python.cleanup();
    }
  },
);

const JS = `function countdown(n) {
  let steps = 0;
  while (n > 0) {
    n -= 1;
    steps += 1;
  }
  return steps;
}
function label(n) {
  return n > 100 ? 'big' : 'small';
}
module.exports = { countdown, label };
`;
const JS_TEST = `const test = require('node:test');
const assert = require('node:assert/strict');
const { countdown, label } = require('../src/code');
test('countdown', () => {
  assert.equal(countdown(3), 3);
  assert.equal(countdown(0), 0);
});
test('label', () => assert.equal(label(5), 'small'));
`;

test(
  "node:test batch, real node: StrykerJS's mutants of a project without a runner plugin, one Node process per worker, the verdicts of a command per mutant in threads and (a test a thread cannot run) in processes, an endless one stopped at its limit",
  { timeout: 180_000 },
  async () => {
    const copy = mkdtempSync(join(tmpdir(), 'orch-node-batch-'));
    try {
      jsRunnerProject(copy, 'node', { 'src/code.js': JS, 'test/code.test.js': JS_TEST });
      const engine = strykerEngine(process.cwd())!;
      const all = await engine.list(copy, [{ path: 'src/code.js', ranges: [{ start: 1, end: 11 }] }]);
      const endless = all.find((m) => m.line === 4 && m.replacement === 'n += 1')!;
      assert.ok(endless, all.map((m) => `${m.line} ${m.original} → ${m.replacement}`).join('\n'));
      const survivor = all.find((m) => m.line === 10 && m.replacement === 'n >= 100')!;
      assert.ok(survivor);
      const mutants = [endless, survivor, ...all.filter((m) => m.line === 5 || m.line === 7).slice(0, 3)];
      const tests = ['test/code.test.js'];
      const command = 'node --test --test-reporter=dot {files}';
      const apply = await strykerApply(strykerInstall(process.cwd())!.instrumenter, copy, mutants);
      const expected = await commandPerMutant({ copy, mutants, apply, tests, command }, endless, survivor);
      const batches = async (isolation: string) => {
        const commands: string[] = [];
        const { statuses, error } = await engine.execute({
          copy,
          mutants,
          tests,
          proof: { command: [command], tests: ['test/**'], timeoutSec: LIMIT },
          concurrency: 2,
          timeoutSec: 120,
          run: async (cmd, o) => {
            const result = await runCommand(cmd, { cwd: o.cwd, timeoutSec: o.timeoutSec });
            commands.push(`${cmd}: ${/^ORCH-ISOLATION (\w+)$/m.exec(result.output)?.[1]}`);
            return result;
          },
        });
        assert.equal(error, undefined);
        assert.deepEqual(Object.fromEntries(statuses), expected, isolation);
        assert.equal(commands.length, 2, commands.join('\n'));
        assert.ok(
          commands.every((c) =>
            new RegExp(`^env node \\S+node_test_batch\\.mjs \\S+plan\\.json: ${isolation}$`).test(c),
          ),
          commands.join('\n'),
        );
        assert.equal(readFileSync(join(copy, 'src/code.js'), 'utf8'), JS);
        assert.deepEqual(await leftRunningIn(copy), [], 'the endless mutant left nothing running');
      };
      // Each test file in a thread of its own, the endless mutant's thread ended at its limit.
      await batches('thread');
      // A test a thread cannot run (a thread has no working folder of its own) fails the unmutated
      // tests there: the mutants run in processes, with the same verdicts.
      writeFileSync(join(copy, tests[0]!), `process.chdir(__dirname);\n${JS_TEST}`);
      await batches('process');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  },
);
