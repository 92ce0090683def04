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

test(
  'three shards over five files: every test runs once, the counts are summed, a failure fails the run and is named, the slowest are said once',
  { timeout: 120_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-shards-test-'));
    try {
      const file = (name: string, body: string) =>
        writeFileSync(
          join(dir, name),
          `import { test } from 'node:test';\nimport assert from 'node:assert/strict';\n${body}\n`,
        );
      // Each test says which process ran it, so the shards are seen to be processes of their own.
      const pid = (tag: string) =>
        `require('node:fs').appendFileSync(${JSON.stringify(join(dir, 'ran.txt'))}, '${tag} ' + process.pid + '\\n');`;
      file('a.test.ts', `test('a1', () => { ${pid('a1')} });\ntest('a2', () => { ${pid('a2')} });`);
      file('b.test.ts', `test('b1', () => { ${pid('b1')} });`);
      file('c.test.ts', `test('c1 fails', () => { ${pid('c1')} assert.equal(1, 2); });`);
      file('d.test.ts', `test('d1', async () => { ${pid('d1')} await new Promise((r) => setTimeout(r, 50)); });`);
      // A test in a suite is one of the slowest by its own name; its subtest is inside its time.
      file(
        'e.test.ts',
        `import { describe } from 'node:test';\ndescribe('group', () => { test('e1 in a suite', async (t) => { ${pid('e1')} await t.test('e1 sub', () => new Promise((r) => setTimeout(r, 60))); }); });`,
      );
      const tap = join(dir, 'report.tap');
      const run = spawnSync(
        process.execPath,
        [
          'scripts/run-node-tests.mjs',
          '--shards=3',
          dir,
          '--test-reporter=tap',
          `--test-reporter-destination=${tap}`,
          '--test-reporter=./scripts/slowestReporter.mjs',
          '--test-reporter-destination=stdout',
        ],
        { cwd: root, encoding: 'utf8', env: runnerEnv() },
      );
      assert.equal(run.status, 1, `a failed test fails the run\n${run.stdout}\n${run.stderr}`);

      const ran = readFileSync(join(dir, 'ran.txt'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' '));
      assert.deepEqual(ran.map(([tag]) => tag).sort(), ['a1', 'a2', 'b1', 'c1', 'd1', 'e1'], 'each test once');
      assert.equal(new Set(ran.map(([, p]) => p)).size, 3, 'in three processes');
      // Round robin: a and d share the first shard, so they share a process.
      assert.equal(ran.find(([t]) => t === 'a1')![1], ran.find(([t]) => t === 'd1')![1]);

      const report = readFileSync(tap, 'utf8');
      const closing = report.trim().split('\n').slice(-7);
      assert.deepEqual(closing, [
        '# tests 7',
        '# suites 1',
        '# pass 6',
        '# fail 1',
        '# cancelled 0',
        '# skipped 0',
        '# todo 0',
      ]);
      assert.deepEqual(
        (failuresOf as (t: string) => { name: string; location: string }[])(report).map((f) => [
          f.name,
          f.location.replace(/:\d+:\d+$/, ''),
        ]),
        [['c1 fails', join(dir, 'c.test.ts')]],
      );

      assert.equal(run.stdout.match(/the slowest tests:/g)?.length, 1, 'one list for all the shards');
      assert.match(run.stdout, /d\.test\.ts {2}d1/);
      assert.match(run.stdout, /e\.test\.ts {2}e1 in a suite/);
      assert.doesNotMatch(run.stdout, /e1 sub/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  "a file's hooks run around its own tests, a failing hook fails its file only, and a file that kills its process fails by name while the files after it run in a new one",
  { timeout: 120_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-shards-test-'));
    try {
      const file = (name: string, body: string) =>
        writeFileSync(join(dir, name), `import { after, before, test } from 'node:test';\n${body}\n`);
      const say = (tag: string) =>
        `require('node:fs').appendFileSync(${JSON.stringify(join(dir, 'ran.txt'))}, '${tag} ' + process.pid + '\\n');`;
      // Two shards: a, c and e in one, b, d and f in the other.
      file(
        'a.test.ts',
        `before(() => { ${say('a-before')} });\nafter(() => { ${say('a-after')} });\ntest('a1', () => { ${say('a1')} });`,
      );
      file('b.test.ts', `before(() => { throw new Error('b cannot start'); });\ntest('b1', () => { ${say('b1')} });`);
      file('c.test.ts', `test('c1 kills its process', () => { ${say('c1')} process.kill(process.pid, 'SIGKILL'); });`);
      // What a process shares across its files stops after its last test, not after the file that first used it.
      file(
        'd.test.ts',
        `import { atProcessEnd } from ${JSON.stringify(join(root, 'test/support/processEnd.ts'))};\natProcessEnd(() => { ${say('d-end')} });\ntest('d1', () => { ${say('d1')} });`,
      );
      file('f.test.ts', `test('f1', () => { ${say('f1')} });`);
      file('e.test.ts', `test('e1', () => { ${say('e1')} });`);
      const tap = join(dir, 'report.tap');
      const run = spawnSync(
        process.execPath,
        ['scripts/run-node-tests.mjs', '--shards=2', dir, '--test-reporter=tap', `--test-reporter-destination=${tap}`],
        { cwd: root, encoding: 'utf8', env: runnerEnv() },
      );
      assert.equal(run.status, 1, `${run.stdout}\n${run.stderr}`);

      const ran = readFileSync(join(dir, 'ran.txt'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' '));
      const tags = ran.map(([tag]) => tag ?? '');
      assert.deepEqual(
        tags.filter((t) => t.startsWith('a') || t === 'c1'),
        ['a-before', 'a1', 'a-after', 'c1'],
        "a's hooks ran around a's test, before c's",
      );
      assert.ok(tags.includes('d1'), "b's failing hook did not stop d");
      assert.deepEqual(
        tags.filter((t) => ['d1', 'f1', 'd-end'].includes(t)),
        ['d1', 'f1', 'd-end'],
        "d's process-end hook once, after the shard's last file",
      );
      assert.ok(!tags.includes('b1'));
      const pid = (tag: string) => ran.find(([t]) => t === tag)![1];
      assert.notEqual(pid('e1'), pid('c1'), 'e ran in a new process');
      assert.match(
        run.stderr,
        /shard 0 ended \(signal SIGKILL\) in .*c\.test\.ts: it fails, the 1 files it had not run go on in a new process/,
      );

      const report = readFileSync(tap, 'utf8');
      const failures = (failuresOf as (t: string) => { name: string; error: string }[])(report);
      assert.deepEqual(failures.map((f) => f.name.replace(dir, '')).sort(), ['/b.test.ts', '/c.test.ts', 'b1']);
      assert.match(failures.find((f) => f.name.endsWith('c.test.ts'))!.error, /ended \(signal SIGKILL\)/);
      // The closing lines, after the shards' own.
      const count = (key: string) => Number([...report.matchAll(new RegExp(`^# ${key} (\\d+)$`, 'gm'))].at(-1)![1]);
      assert.equal(count('fail') + count('cancelled'), 2, 'b1 and c');
      assert.ok(count('pass') >= 2, 'd1 and e1 at least (a1 may be lost with the killed process)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
