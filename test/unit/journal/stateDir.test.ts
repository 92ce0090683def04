// `.claude/runs/` ignores itself (stateDir.ts); a new worktree's is made off the main thread before
// its run lock is taken (issue 63): several runs making it at once all find it made, and ignored.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { acquireRunLock, ensureStateDir, ensureStateDirSoon, runsDir } from '../../../src/core/journal';

test('ensureStateDirSoon makes .claude/runs/ ignoring itself, at once from several callers, and the lock takes it as made', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'orch-state-dir-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const made = await Promise.all([ensureStateDirSoon(dir), ensureStateDirSoon(dir), ensureStateDirSoon(dir)]);
  assert.deepEqual(made, [runsDir(dir), runsDir(dir), runsDir(dir)]);
  assert.match(readFileSync(join(runsDir(dir), '.gitignore'), 'utf8'), /^\*$/m);
  assert.equal(ensureStateDir(dir), runsDir(dir));
  const lock = acquireRunLock(dir, 'run-1');
  lock.release();
});
