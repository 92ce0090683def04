// Every test removes what it makes (issue 19): the git tests, which left orch-git-* and
// orch-markers-* folders behind, run here with their own empty OS temp folder, which must be
// empty again when they end. The product's checkpoint code makes its throwaway index under
// .git/, not in the OS temp folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const FILES = [
  'test/integration/git/gitHardening.test.ts',
  'test/integration/git/checkpoint.test.ts',
  'test/unit/git/diff.test.ts',
  'test/unit/git/rollback.test.ts',
];

test('the git tests leave their OS temp folder as they found it', { timeout: 300_000 }, () => {
  const temp = mkdtempSync(join(tmpdir(), 'orch-cleanup-'));
  try {
    // The TypeScript loader's cache (tmpdir()/tsx-<uid>) stays the machine's: in an empty one each
    // test process would compile the engine's sources again, seconds of CPU that test nothing here.
    const tsxCache = `tsx-${process.geteuid?.() ?? userInfo().username}`;
    mkdirSync(join(tmpdir(), tsxCache), { recursive: true });
    symlinkSync(join(tmpdir(), tsxCache), join(temp, tsxCache));
    // Without NODE_TEST_CONTEXT: a runner started inside a test would report to this one instead of printing.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'run-node-tests.mjs'), ...FILES], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...env, TMPDIR: temp },
    });
    assert.equal(run.status, 0, `${run.stdout.slice(-3000)}\n${run.stderr.slice(-2000)}`);
    assert.match(run.stdout, /ℹ pass [1-9]/);
    // tsx-<uid>: the TypeScript loader's own cache, not made by a test.
    assert.deepEqual(
      readdirSync(temp).filter((name) => !/^tsx-\d+$/.test(name)),
      [],
      'left behind in the temp folder',
    );
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
});
