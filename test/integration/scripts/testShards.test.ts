// scripts/run-node-tests.mjs --shards=N: the files split over N processes that each run their
// share in themselves; one exit status, one TAP report with the summed counts, one list of the
// slowest tests, and a failure named as in a run without shards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
// @ts-expect-error -- a plain .mjs script without type declarations
import { failuresOf } from '../../../scripts/tierResult.mjs';

const root = resolve(__dirname, '../../..');
/** This process's environment without node:test's mark of a child, which would make the runner's tests report to us instead of to their reporters. */
const runnerEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT'));

test('three shards over four files: every test runs once, the counts are summed, a failure fails the run and is named, the slowest are said once', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'orch-shards-test-'));
  try {
    const file = (name: string, body: string) => writeFileSync(join(dir, name), `import { test } from 'node:test';\nimport assert from 'node:assert/strict';\n${body}\n`);
    // Each test says which process ran it, so the shards are seen to be processes of their own.
    const pid = (tag: string) => `require('node:fs').appendFileSync(${JSON.stringify(join(dir, 'ran.txt'))}, '${tag} ' + process.pid + '\\n');`;
    file('a.test.ts', `test('a1', () => { ${pid('a1')} });\ntest('a2', () => { ${pid('a2')} });`);
    file('b.test.ts', `test('b1', () => { ${pid('b1')} });`);
    file('c.test.ts', `test('c1 fails', () => { ${pid('c1')} assert.equal(1, 2); });`);
    file('d.test.ts', `test('d1', async () => { ${pid('d1')} await new Promise((r) => setTimeout(r, 50)); });`);
    const tap = join(dir, 'report.tap');
    const run = spawnSync(process.execPath, ['scripts/run-node-tests.mjs', '--shards=3', dir, '--test-reporter=tap', `--test-reporter-destination=${tap}`, '--test-reporter=./scripts/slowestReporter.mjs', '--test-reporter-destination=stdout'], { cwd: root, encoding: 'utf8', env: runnerEnv() });
    assert.equal(run.status, 1, `a failed test fails the run\n${run.stdout}\n${run.stderr}`);

    const ran = readFileSync(join(dir, 'ran.txt'), 'utf8').trim().split('\n').map((l) => l.split(' '));
    assert.deepEqual(ran.map(([tag]) => tag).sort(), ['a1', 'a2', 'b1', 'c1', 'd1'], 'each test once');
    assert.equal(new Set(ran.map(([, p]) => p)).size, 3, 'in three processes');
    // Round robin: a and d share the first shard, so they share a process.
    assert.equal(ran.find(([t]) => t === 'a1')![1], ran.find(([t]) => t === 'd1')![1]);

    const report = readFileSync(tap, 'utf8');
    const closing = report.trim().split('\n').slice(-7);
    assert.deepEqual(closing, ['# tests 5', '# suites 0', '# pass 4', '# fail 1', '# cancelled 0', '# skipped 0', '# todo 0']);
    assert.deepEqual((failuresOf as (t: string) => { name: string; location: string }[])(report).map((f) => [f.name, f.location.replace(/:\d+:\d+$/, '')]), [['c1 fails', join(dir, 'c.test.ts')]]);

    assert.equal(run.stdout.match(/the slowest tests:/g)?.length, 1, 'one list for all the shards');
    assert.match(run.stdout, /d\.test\.ts {2}d1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
