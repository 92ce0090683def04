// git from a large process goes through the small helper (src/core/process/spawner.ts): the same
// output, bytes on stdin and out, exit codes and git's message as a direct spawn; a missing
// program rejects as spawn does; and a process whose last work was a helped git call exits (the
// idle helper never holds it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gitAt, GitCommandError } from '../../../src/core/git/gitRunner';
import { helperCalls, helperWanted, spawnThroughHelper, SPAWNER_RSS_BYTES } from '../../../src/core/process/spawner';
import { committedRepo, git } from '../../support/gitFixture';

const ROOT = join(__dirname, '../../..');

test('past the size threshold, git calls go through the helper with the same results as a direct spawn', async () => {
  const repo = committedRepo({ 'a.txt': 'a\n' }, 'first');
  const direct = git(repo, 'rev-parse', 'HEAD').trim();
  // This process made large (touched pages count as resident), as serve or an extension host is.
  const ballast = Buffer.alloc(SPAWNER_RSS_BYTES + 64 * 1024 * 1024, 1);
  await new Promise((resolve) => setTimeout(resolve, 1100)); // the size is looked at once a second
  assert.ok(helperWanted(), `resident ${process.memoryUsage.rss()} bytes`);
  const before = helperCalls.count;
  const g = gitAt(repo);
  assert.equal((await g.raw(['rev-parse', 'HEAD'])).trim(), direct);
  // Exact bytes in and out (stdin, binary output).
  const bytes = Buffer.from([0, 1, 2, 255, 10, 13, 0]);
  const oid = (await g.bytes(['hash-object', '-w', '--stdin'], bytes)).toString('utf8').trim();
  assert.deepEqual(await g.binaryCatFile(['blob', oid]), bytes);
  // git's failure: its exit code and message.
  await assert.rejects(
    g.raw(['rev-parse', '--verify', 'no-such-ref']),
    (error: unknown) =>
      error instanceof GitCommandError && error.exitCode === 128 && /Needed a single revision/.test(error.message),
  );
  // Twenty at once.
  const many = await Promise.all(Array.from({ length: 20 }, () => g.raw(['cat-file', '-p', `${direct}:a.txt`])));
  assert.deepEqual(new Set(many), new Set(['a\n']));
  assert.ok(helperCalls.count - before >= 24, `${helperCalls.count - before} calls through the helper`);
  // A program that is not there rejects as spawn's error does.
  await assert.rejects(
    spawnThroughHelper('no-such-program-orch', [], repo, { PATH: process.env.PATH }),
    (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT',
  );
  assert.equal(ballast.length > 0, true);
});

test('a large process whose last work was a git call through the helper exits by itself', () => {
  const script = `
    const { gitAt } = require(${JSON.stringify(join(ROOT, 'src/core/git/gitRunner.ts'))});
    const { helperCalls } = require(${JSON.stringify(join(ROOT, 'src/core/process/spawner.ts'))});
    const ballast = Buffer.alloc(${SPAWNER_RSS_BYTES + 64 * 1024 * 1024}, 1);
    gitAt(process.cwd()).raw(['--version']).then((out) => console.log(out.trim(), 'helped', helperCalls.count, ballast.length > 0));
  `;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(result.error, undefined, 'it exited within 30 s');
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^git version .* helped 1 true$/m);
});
