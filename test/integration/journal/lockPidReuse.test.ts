// The run lock survives pid reuse (issue 8, point 8): it records when its process started,
// so a live process that merely got the same pid does not hold the workspace forever.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { acquireRunLock, activeRunLock, RunLockedError } from '../../../src/core/journal/lock';
import { processStartTime } from '../../../src/core/journal/processStart';
import { lockPath, runsDir } from '../../../src/core/journal/runPaths';
import { useTempDirs } from '../../support/tempDirs';

const workspace = useTempDirs('orch-lock-');

function workspaceWithLock(lock: object): string {
  const ws = workspace();
  mkdirSync(runsDir(ws), { recursive: true });
  writeFileSync(lockPath(ws), JSON.stringify(lock));
  return ws;
}

test(
  'a lock whose pid now belongs to a later process is stale; the live holder still blocks',
  { skip: process.platform === 'win32' },
  async () => {
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => other.once('spawn', resolve));
      const pid = other.pid!;
      const started = processStartTime(pid);
      assert.ok(started, 'the start time of a live process can be read');
      assert.equal(processStartTime(pid), started, 'and reads the same every time');

      // The pid is alive, but the process that took the lock started at another time: pid reuse.
      const reused = workspaceWithLock({
        pid,
        runId: 'old',
        started: '2026-01-01T00:00:00.000Z',
        processStart: `${started}-earlier`,
      });
      assert.equal(activeRunLock(reused), undefined);
      const lock = acquireRunLock(reused, 'mine');
      assert.equal(lock.info.runId, 'mine');
      assert.equal(lock.info.processStart, processStartTime(process.pid));
      lock.release();

      // The same pid with its own start time is the real holder.
      const held = workspaceWithLock({
        pid,
        runId: 'other',
        started: '2026-01-01T00:00:00.000Z',
        processStart: started,
      });
      assert.throws(() => acquireRunLock(held, 'mine'), RunLockedError);
    } finally {
      other.kill();
    }
  },
);
