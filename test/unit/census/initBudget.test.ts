import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initFromCensus } from '../../../src/core/census/initFromCensus';
import { outOfTime } from '../../../src/core/census/verifyBudget';
import { commitAll, git, json, makeRepo } from '../../support/census';

test("init's verification stops at its time budget: the command still running is stopped, is a comment saying it was not verified in time, never a gate, and nothing is left behind", async () => {
  const repo = await makeRepo({
    'package.json': json({ name: 'slow', scripts: { test: 'node slow-check.js' } }),
    'package-lock.json': '{}',
    'slow-check.js': 'setTimeout(() => {}, 60000);\n',
    'src/index.js': 'module.exports = 1;\n',
    '.github/workflows/ci.yml':
      'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n',
  });
  try {
    commitAll(repo.dir);
    const started = performance.now();
    const report = await initFromCensus(repo.dir, { trusted: true, budgetSec: 1 });
    assert.ok(performance.now() - started < 8000, `init took ${Math.round(performance.now() - started)} ms`);
    const layer = report.census.layers.find((l) => l.validate.some((v) => v.command === 'npm test'));
    assert.ok(layer, JSON.stringify(report.census.layers.map((l) => l.validate)));
    const outcome = layer.verified![layer.validate.findIndex((v) => v.command === 'npm test')];
    assert.deepEqual(outcome, outOfTime(1));
    assert.doesNotMatch(report.proposal, /^\s+- npm test\b/m, 'it is no gate');
    assert.match(
      report.proposal,
      /# not a gate: npm test \(from [^)]*\) not verified in time \(init's 1 s for verification were spent\): run `orchestrator init --force --verify-budget 60`/,
    );
    assert.deepEqual(
      git(repo.dir, 'worktree', 'list', '--porcelain').match(/^worktree /gm)?.length,
      1,
      'the throwaway worktree is gone',
    );
  } finally {
    await repo.cleanup();
  }
});
