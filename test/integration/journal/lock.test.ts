import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import {
  RunLockedError,
  acquireRunLock,
  activeRunLock,
  isProcessAlive,
  readRunLock,
} from '../../../src/core/journal/lock';
import { lockPath, runsDir } from '../../../src/core/journal/runPaths';
import { useTempDirs } from '../../support/tempDirs';

const workspace = useTempDirs('orch-lock-');

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  assert.ok(child.pid && !isProcessAlive(child.pid));
  return child.pid;
}

function writeLock(ws: string, content: string): void {
  mkdirSync(runsDir(ws), { recursive: true });
  writeFileSync(lockPath(ws), content);
}

describe('run lock', () => {
  it('records pid, runId and start time, and is released on finish', () => {
    const ws = workspace();
    const lock = acquireRunLock(ws, 'r1', () => new Date(Date.UTC(2026, 10, 21, 10, 0, 0)));
    const { processStart, ...rest } = readRunLock(ws)!;
    assert.deepEqual(rest, { pid: process.pid, runId: 'r1', started: '2026-11-21T10:00:00.000Z' });
    if (process.platform !== 'win32') assert.match(processStart ?? '', /\S/, 'the process start time is recorded');
    assert.deepEqual(activeRunLock(ws), lock.info);
    lock.release();
    assert.equal(existsSync(lockPath(ws)), false);
    lock.release();
    assert.deepEqual(
      readdirSync(runsDir(ws)),
      ['.gitignore'],
      "no temp files left behind: only the folder's own .gitignore",
    );
  });

  it('refuses a second run while the first is active', () => {
    const ws = workspace();
    const first = acquireRunLock(ws, 'r1');
    assert.throws(
      () => acquireRunLock(ws, 'r2'),
      (err: unknown) => {
        assert.ok(err instanceof RunLockedError);
        assert.match(
          err.message,
          new RegExp(`^Another Orchestrator run \\(runId r1, pid ${process.pid}\\) is active on this workspace`),
        );
        assert.equal(err.holder.runId, 'r1');
        return true;
      },
    );
    first.release();
    acquireRunLock(ws, 'r2').release();
  });

  it('refuses when another live process holds the lock', async () => {
    const ws = workspace();
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      writeLock(ws, JSON.stringify({ pid: child.pid, runId: 'other', started: '2026-11-21T09:00:00.000Z' }));
      assert.throws(() => acquireRunLock(ws, 'mine'), new RegExp(`runId other, pid ${child.pid}`));
      assert.equal(readRunLock(ws)?.runId, 'other', 'the live lock is left in place');
    } finally {
      child.kill('SIGKILL');
      await new Promise((done) => child.once('exit', done));
    }
    // Once that process is gone its lock is stale.
    const lock = acquireRunLock(ws, 'mine');
    assert.equal(readRunLock(ws)?.runId, 'mine');
    lock.release();
  });

  it('takes over a stale lock whose process is gone, or an unreadable one', () => {
    const ws = workspace();
    writeLock(ws, JSON.stringify({ pid: deadPid(), runId: 'crashed', started: '2026-11-20T09:00:00.000Z' }));
    assert.equal(activeRunLock(ws), undefined);
    const lock = acquireRunLock(ws, 'r2');
    assert.equal(readRunLock(ws)?.runId, 'r2');
    lock.release();

    writeLock(ws, 'not json');
    acquireRunLock(ws, 'r3').release();
    writeLock(ws, JSON.stringify({ pid: 0, runId: 'x', started: 'y' }));
    acquireRunLock(ws, 'r4').release();
    assert.deepEqual(readdirSync(runsDir(ws)), ['.gitignore']);
  });

  it('release leaves a lock that is no longer ours alone', () => {
    const ws = workspace();
    const lock = acquireRunLock(ws, 'r1');
    const replacement = JSON.stringify({ pid: process.pid, runId: 'someone-else', started: 'now' });
    writeFileSync(lockPath(ws), replacement);
    lock.release();
    assert.equal(readFileSync(lockPath(ws), 'utf8'), replacement);
  });
});
