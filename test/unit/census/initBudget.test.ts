import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initFromCensus } from '../../../src/core/census/init/initFromCensus';
import { outOfTime, STOPPED } from '../../../src/core/census/verify/verifyBudget';
import { commitAll, git, json, makeRepo } from '../../support/census';

const slowRepo = () =>
  makeRepo({
    'package.json': json({ name: 'slow', scripts: { lint: 'node -e "process.exit(0)"', test: 'node --test' } }),
    'package-lock.json': '{}',
    // The project's suite takes a minute: verification would wait for it.
    'test/slow.test.js':
      "const { test } = require('node:test');\ntest('slow', () => new Promise((ok) => setTimeout(ok, 60000)));\n",
    'src/index.js': 'module.exports = 1;\n',
    '.github/workflows/ci.yml':
      'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm run lint\n      - run: npm test\n',
  });

test('Ctrl-C during verification keeps what was verified and writes the rest unverified, kept as proposed (issue 70); the proposal is shown before any command runs', async () => {
  const repo = await slowRepo();
  try {
    commitAll(repo.dir);
    const stop = new AbortController();
    const seen: string[] = [];
    const started = performance.now();
    const report = await initFromCensus(repo.dir, {
      trusted: true,
      signal: stop.signal,
      onProposal: (census) =>
        seen.push(`proposal: ${census.layers.flatMap((l) => l.validate.map((v) => v.command)).join(', ')}`),
      onStart: (command) => seen.push(`start: ${command}`),
      // The user stops once the test command has run a moment, after lint passed.
      onProgress: (command, outcome) => {
        seen.push(`${outcome.status}: ${command}`);
        if (command === 'npm run lint') setTimeout(() => stop.abort(), 300);
      },
    });
    assert.ok(performance.now() - started < 20_000, `init took ${Math.round(performance.now() - started)} ms`);
    assert.match(seen[0]!, /^proposal: .*npm run lint.*npm test/, seen.join('\n'));
    const layer = report.census.layers.find((l) => l.validate.some((v) => v.command === 'npm test'))!;
    const outcome = (command: string) => layer.verified![layer.validate.findIndex((v) => v.command === command)];
    assert.equal(outcome('npm run lint')?.status, 'passed');
    assert.deepEqual(outcome('npm test'), STOPPED);
    assert.match(report.proposal, /- npm run lint # from .*; passed in/);
    assert.match(
      report.proposal,
      /- npm test # from .*not run: verification was stopped before it ended; kept unverified: a run checks it on the base/,
    );
    // The proof command was not verified either: kept, and proof is required, never off.
    assert.match(report.proposal, /\nproof:[\s\S]*mode: required/);
    assert.equal(
      git(repo.dir, 'worktree', 'list', '--porcelain').match(/^worktree /gm)?.length,
      1,
      'the throwaway worktree is gone',
    );
  } finally {
    await repo.cleanup();
  }
});

test('a time budget given on purpose stops verification there: the command still running is stopped and kept unverified, nothing left behind', async () => {
  const repo = await slowRepo();
  try {
    commitAll(repo.dir);
    const started = performance.now();
    const report = await initFromCensus(repo.dir, { trusted: true, budgetSec: 2 });
    assert.ok(performance.now() - started < 10_000, `init took ${Math.round(performance.now() - started)} ms`);
    const layer = report.census.layers.find((l) => l.validate.some((v) => v.command === 'npm test'))!;
    assert.deepEqual(layer.verified![layer.validate.findIndex((v) => v.command === 'npm test')], outOfTime(2));
    assert.match(
      report.proposal,
      /- npm test # from .*not verified in time \(the 2 s given to verification were spent\); kept unverified/,
    );
    assert.equal(git(repo.dir, 'worktree', 'list', '--porcelain').match(/^worktree /gm)?.length, 1);
  } finally {
    await repo.cleanup();
  }
});
