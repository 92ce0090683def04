// Our own merge queue (issue 74): four approved runs' branches merged on main as one batch, its
// proofs run once; the third branch turns main's completed price spec red (a decimal comma), so the
// batch is red and bisected over its merge commits: the culprit is found in ⌈log₂ 4⌉ + 1 = 3 rounds,
// set aside, and the three others merge (the two before it at once, the fourth as the next batch,
// proven on the new main). Real git, real `node --test`; main is the checkout's branch.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { engine } from '../../../src/core/engine';
import { buildCli, CLI } from '../../support/cli/cliKit';
import { committedRepo, git, isolatedGit, write } from '../../support/gitFixture';
import { completedSpec, formatTests, PRICE, QUEUE_CONFIG } from '../../support/github/mergeQueueKit';

buildCli();
isolatedGit();

/** A run's branch off main: a module of its own and its completed spec, proven by a test of it. */
function runBranch(dir: string, name: string, files: Record<string, string>): void {
  git(dir, 'checkout', '-q', '-b', name, 'main');
  for (const [path, text] of Object.entries(files)) write(dir, path, text);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', `the run of ${name}`);
  git(dir, 'checkout', '-q', 'main');
}

function moduleRun(slug: string, value: string): Record<string, string> {
  const test = `REQ-1.1 ${slug} says ${value}`;
  return {
    [`lib/${slug}.js`]: `exports.value = ${JSON.stringify(value)};\n`,
    ...completedSpec(
      `2026-11-1${slug.length}-${slug}`,
      slug,
      [{ id: 'REQ-1.1', test }],
      `test/acceptance/${slug}.test.js`,
      [
        "'use strict';",
        "const test = require('node:test');",
        "const assert = require('node:assert/strict');",
        `test(${JSON.stringify(test)}, () => assert.equal(require('../../lib/${slug}').value, ${JSON.stringify(value)}));`,
        '',
      ].join('\n'),
      [`lib/${slug}.js`],
    ),
  };
}

test('queue: a batch of four with one culprit — found in ≤ 3 rounds, set aside, the three others merged on main', async () => {
  const price = '2026-11-01-price-format';
  const dir = committedRepo({
    '.claude/orchestrator.yaml': QUEUE_CONFIG,
    'lib/price.js': PRICE,
    'lib/currency.js': "exports.symbol = '€';\n",
    'lib/separator.js': "exports.separator = '.';\n",
    ...completedSpec(
      price,
      'Price format',
      [{ id: 'REQ-1.1', test: 'REQ-1.1 formats 1234 cents as 12.34 €' }],
      'test/acceptance/price.test.js',
      formatTests([{ name: 'REQ-1.1 formats 1234 cents as 12.34 €', cents: 1234, expected: '12.34 €' }]),
      ['lib/currency.js', 'lib/price.js', 'lib/separator.js'],
    ),
  });
  const main = git(dir, 'rev-parse', 'main').trim();
  runBranch(dir, 'run/tax', moduleRun('tax', '20%'));
  runBranch(dir, 'run/round', moduleRun('round', 'half-up'));
  // Green alone on its own spec, it breaks main's price spec.
  runBranch(dir, 'run/comma', { 'lib/separator.js': "exports.separator = ',';\n", ...moduleRun('comma', ',') });
  runBranch(dir, 'run/shipping', moduleRun('shipping', 'free'));

  const batches: unknown[] = [];
  const report = await engine.mergeBatches(dir, {
    target: 'main',
    branches: ['run/tax', 'run/round', 'run/comma', 'run/shipping'],
    trusted: true,
    onBatch: (round) => batches.push(round),
  });

  const [first, second] = report.batches;
  assert.deepEqual(first!.batch, ['run/tax', 'run/round', 'run/comma', 'run/shipping']);
  assert.equal(first!.outcome, 'red');
  assert.ok(first!.rounds <= 3, `⌈log₂ 4⌉ + 1 rounds at most: ${first!.rounds}`);
  assert.deepEqual(first!.culprit, { branch: 'run/comma', criteria: [`${price} REQ-1.1`] });
  assert.deepEqual(first!.merged, ['run/tax', 'run/round']);
  assert.deepEqual(
    [second!.batch, second!.outcome, second!.rounds, second!.merged],
    [['run/shipping'], 'green', 1, ['run/shipping']],
  );
  assert.equal(report.batches.length, 2);
  assert.equal(batches.length, 2, 'each batch said as it ends');
  assert.deepEqual(report.merged, ['run/tax', 'run/round', 'run/shipping']);
  assert.deepEqual(report.culprits, [{ branch: 'run/comma', criteria: [`${price} REQ-1.1`] }]);
  assert.deepEqual([report.conflicts, report.unresolved], [[], []]);

  // main moved to the last batch's head: the three merges on it, not the culprit's; the checkout with it.
  assert.equal(report.from, main);
  assert.equal(git(dir, 'rev-parse', 'main').trim(), report.to);
  assert.deepEqual(git(dir, 'log', '--first-parent', '--format=%s', `${main}..main`).trim().split('\n'), [
    "Merge branch 'run/shipping' (orchestrator queue)",
    "Merge branch 'run/round' (orchestrator queue)",
    "Merge branch 'run/tax' (orchestrator queue)",
  ]);
  assert.equal(readFileSync(join(dir, 'lib/separator.js'), 'utf8'), "exports.separator = '.';\n");
  assert.equal(readFileSync(join(dir, 'lib/shipping.js'), 'utf8'), 'exports.value = "free";\n');
  assert.equal(git(dir, 'status', '--porcelain').trim(), '');
  assert.equal(git(dir, 'worktree', 'list', '--porcelain').match(/^worktree /gm)?.length, 1, 'its worktrees gone');
});

test('cli: queue merges a green batch on --onto and says it; no branch, or one that is none, is a usage error', () => {
  const dir = committedRepo({ '.claude/orchestrator.yaml': QUEUE_CONFIG, 'lib/price.js': PRICE });
  git(dir, 'branch', 'release');
  runBranch(dir, 'run/tax', moduleRun('tax', '20%'));
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, 'queue', ...args, '--workspace', dir], { encoding: 'utf8' });
  const merged = cli('run/tax', '--onto', 'release');
  assert.equal(merged.status, 0, merged.stderr);
  assert.match(
    merged.stdout,
    /^release: [0-9a-f]{12} → [0-9a-f]{12}\n {2}batch of 1: green in 1 round; merged run\/tax\nmerged: run\/tax\n$/,
  );
  assert.match(merged.stderr, /batch of 1: green in 1 round; merged run\/tax/);
  assert.equal(git(dir, 'rev-parse', 'release^2').trim(), git(dir, 'rev-parse', 'run/tax').trim());
  assert.equal(
    git(dir, 'rev-parse', 'main').trim(),
    git(dir, 'rev-parse', 'release^1').trim(),
    'main, checked out, untouched',
  );
  assert.equal(cli().status, 2);
  const none = cli('run/none');
  assert.equal(none.status, 2);
  assert.match(none.stderr, /"run\/none" is no branch of the repository/);
});
