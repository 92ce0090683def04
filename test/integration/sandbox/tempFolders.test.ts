// The temp folders a process of ours keeps while it works (relay sockets, commands' private homes)
// carry its pid: those of a process killed with kill -9 are removed by the next one that makes
// one; a living process's stay.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { processTempFolder } from '../../../src/core/sandbox';

test("temp folders: a dead process's are removed when the next one makes its own, a living one's stay", () => {
  const prefix = `orch-test-temp-${randomBytes(3).toString('hex')}-`;
  const dead = spawnSync('true').pid;
  const living = spawn('sleep', ['60'], { stdio: 'ignore' });
  const deadDir = join(tmpdir(), `${prefix}${dead}-aaaaaa`);
  const livingDir = join(tmpdir(), `${prefix}${living.pid}-bbbbbb`);
  const unrelated = join(tmpdir(), `${prefix}notapid`);
  for (const dir of [deadDir, livingDir, unrelated]) {
    mkdirSync(join(dir, 'home'), { recursive: true });
    writeFileSync(join(dir, 'home', 'cache'), 'x');
  }
  let mine = '';
  try {
    mine = processTempFolder(prefix);
    assert.match(basename(mine), new RegExp(`^${prefix}${process.pid}-`));
    assert.ok(existsSync(mine));
    assert.ok(!existsSync(deadDir), "the dead process's folder is gone");
    assert.ok(existsSync(livingDir), "the living process's folder stays");
    assert.ok(existsSync(unrelated), 'a folder without a pid is not ours to remove');
  } finally {
    living.kill('SIGKILL');
    for (const dir of [deadDir, livingDir, unrelated, mine]) if (dir) rmSync(dir, { recursive: true, force: true });
  }
});
