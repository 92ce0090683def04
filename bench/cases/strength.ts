/**
 * STRENGTH's wall time against its floor (issue 61, docs/proof.md "Strength"): each mutant needs
 * at least one run of the criterion's proof tests, `limits.concurrency` at a time, so the step
 * cannot be faster than (mutants ÷ concurrency) × one proof run; the target is 1.2 times that.
 * One row per engine and runner, each on a real project of its own in git (base, then the change):
 *
 * - StrykerJS with Jest (its runner plugin, per-test coverage: the mutants run inside Jest's workers);
 * - StrykerJS's command runner with `node --test` (a process per mutant);
 * - the built-in mutator with pytest (a process per mutant, each worker in its own copy), when
 *   this machine's python3 has pytest.
 *
 * One proof run is the project's command on the criterion's test file, timed alone (median of 3);
 * the strength step is `measureStrength` as a run calls it (median of 3), both without the sandbox.
 */
import { createCheckpoint } from '../../src/core/git/checkpoint';
import {
  builtinEngine,
  changedLines,
  measureStrength,
  type MutationEngine,
  strykerEngine,
} from '../../src/core/mutation';
import { runCommand } from '../../src/core/process';
import { git, initRepo, isolateGitConfig, tempDir, write } from '../../test/support/gitFixture';
import { jsRunnerProject } from '../../test/support/jsRunnerProject';
import { hasPytest } from '../../test/support/pythonEnv';
import { median, sample } from '../support/stats';
import type { BenchCase, BenchContext, BenchRow } from '../types';

const RUNS = 3;
const CONCURRENCY = 2;
const MUTANTS = 20;

interface Project {
  title: string;
  files: (changed: boolean) => Record<string, string>;
  make: (dir: string, files: Record<string, string>) => void;
  /** The proof command on the test file, as the run's proof section would give it. */
  proof: string;
  test: string;
  source: string;
  engine: (dir: string) => MutationEngine | undefined;
  /** Why this machine cannot run it, when it cannot. */
  missing?: () => string | undefined;
}

const RULE_JS = (changed: boolean) =>
  changed
    ? [
        'function price(total, member) {',
        '  if (total < 0) throw new Error("negative");',
        '  let cut = 0;',
        '  if (total > 100) cut = 10;',
        '  if (member && total >= 50) cut += 5;',
        '  return total - (total * cut) / 100;',
        '}',
        'module.exports = { price };',
        '',
      ].join('\n')
    : 'function price(total) {\n  return total;\n}\nmodule.exports = { price };\n';

const JS_TESTS = (call: string) =>
  [
    `${call}('REQ-1.1 the price rule', () => {`,
    '  assert.equal(price(40, false), 40);',
    '  assert.equal(price(100, false), 100);',
    '  assert.equal(price(200, false), 180);',
    '  assert.equal(price(50, true), 47.5);',
    '  assert.equal(price(49, true), 49);',
    '  assert.equal(price(200, true), 170);',
    '  assert.throws(() => price(-1, false));',
    '});',
    '',
  ].join('\n');

const PY_RULE = (changed: boolean) =>
  changed
    ? [
        'def price(total, member):',
        '    if total < 0:',
        '        raise ValueError("negative")',
        '    cut = 0',
        '    if total > 100:',
        '        cut = 10',
        '    if member and total >= 50:',
        '        cut += 5',
        '    return total - total * cut / 100',
        '',
      ].join('\n')
    : 'def price(total, member):\n    return total\n';

const PROJECTS: Project[] = [
  {
    title: 'StrykerJS, Jest',
    files: (changed) => ({
      'src/price.js': RULE_JS(changed),
      'test/price.test.js': `const assert = require('node:assert/strict');\nconst { price } = require('../src/price');\n${JS_TESTS('test')}`,
    }),
    make: (dir, files) => jsRunnerProject(dir, 'jest', files, { link: ['jest-environment-node'] }),
    proof: 'npx jest --runTestsByPath {files}',
    test: 'test/price.test.js',
    source: 'src/price.js',
    engine: strykerEngine,
  },
  {
    title: 'StrykerJS, node --test (no runner plugin: one node:test batch per worker)',
    files: (changed) => ({
      'src/price.js': RULE_JS(changed),
      'test/price.test.js': `const test = require('node:test');\nconst assert = require('node:assert/strict');\nconst { price } = require('../src/price');\n${JS_TESTS('test')}`,
    }),
    make: (dir, files) => jsRunnerProject(dir, 'node', files),
    proof: 'node --test {files}',
    test: 'test/price.test.js',
    source: 'src/price.js',
    engine: strykerEngine,
  },
  {
    title: 'built-in mutator, pytest (one forking Python process per worker)',
    files: (changed) => ({
      'app/__init__.py': '',
      'tests/__init__.py': '',
      'app/pricing.py': PY_RULE(changed),
      'tests/test_pricing.py': [
        'import pytest',
        'from app.pricing import price',
        '',
        'def test_req_1_1_the_price_rule():',
        '    assert price(40, False) == 40',
        '    assert price(100, False) == 100',
        '    assert price(200, False) == 180',
        '    assert price(50, True) == 47.5',
        '    assert price(49, True) == 49',
        '    assert price(200, True) == 170',
        '    with pytest.raises(ValueError):',
        '        price(-1, False)',
        '',
      ].join('\n'),
    }),
    make: (dir, files) => {
      for (const [path, content] of Object.entries(files)) write(dir, path, content);
    },
    proof: 'python3 -m pytest -q -p no:cacheprovider {files}',
    test: 'tests/test_pricing.py',
    source: 'app/pricing.py',
    engine: () => builtinEngine,
    missing: () => (hasPytest ? undefined : 'python3 has no pytest here'),
  },
];

async function measure(ctx: BenchContext, project: Project): Promise<BenchRow> {
  const dir = tempDir('orch-bench-strength-');
  initRepo(dir);
  project.make(dir, project.files(false));
  write(dir, '.gitignore', 'node_modules\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  const checkpoint = await createCheckpoint(dir, 'bench-strength');
  if (!checkpoint) throw new Error('no checkpoint');
  for (const [path, content] of Object.entries(project.files(true))) write(dir, path, content);
  const engine = project.engine(dir);
  if (!engine) throw new Error('StrykerJS is not installed in this checkout');
  const env = { ...(process.env as Record<string, string>), PYTHONPATH: dir, PYTEST_DISABLE_PLUGIN_AUTOLOAD: '1' };
  const command = project.proof.replace('{files}', project.test);
  const proofRun = median(
    await sample(RUNS, async () => {
      const r = await runCommand(command, { cwd: dir, timeoutSec: 120, env });
      if (r.exitCode !== 0) throw new Error(`${command} failed:\n${r.output.slice(-2000)}`);
    }),
  );
  let tried = 0;
  let killed = 0;
  const wall = median(
    await sample(RUNS, async () => {
      const [result] = await measureStrength({
        workTree: dir,
        changed: await changedLines(dir, checkpoint.ref),
        criteria: [{ id: 'REQ-1.1', tests: [project.test], files: [project.source] }],
        proof: { command: [project.proof], tests: [project.test] },
        caps: { perCriterion: MUTANTS, perRun: 100, timeoutSec: 600, concurrency: CONCURRENCY },
        seed: 'bench',
        engines: [engine],
        run: (cmd, options) => runCommand(cmd, { cwd: options.cwd, timeoutSec: options.timeoutSec, env }),
      });
      if (result?.error) throw new Error(result.error);
      ({ tried, killed } = result!);
    }),
  );
  const floor = (tried / CONCURRENCY) * proofRun;
  const ratio = wall / floor;
  return {
    name: `STRENGTH's wall ÷ (mutants ÷ concurrency × one proof run), ${project.title}`,
    value: Number(ratio.toFixed(2)),
    unit: '×',
    target: '≤ 1.2×',
    pass: ratio <= 1.2,
    note: `${tried} mutants (${killed} killed), concurrency ${CONCURRENCY}: strength ${(wall / 1000).toFixed(2)} s, one proof run (\`${command}\`) ${(proofRun / 1000).toFixed(2)} s, floor ${(floor / 1000).toFixed(2)} s (medians of ${RUNS}; no sandbox on either side)`,
  };
}

const strength: BenchCase = {
  title: 'STRENGTH against its floor',
  order: 150,
  async run(ctx) {
    const restore = isolateGitConfig();
    try {
      const rows: BenchRow[] = [];
      for (const project of PROJECTS) {
        const missing = project.missing?.();
        if (missing) {
          ctx.log(`strength: ${project.title} skipped (${missing})`);
          continue;
        }
        ctx.log(`strength: ${project.title}`);
        rows.push(await measure(ctx, project));
      }
      return rows;
    } finally {
      restore();
    }
  },
};

export default strength;
