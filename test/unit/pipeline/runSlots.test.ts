// Run slots counted across processes (issue 22; issue 63: once per burst): the other processes'
// live worktree locks fill slots; runs starting together share one count of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { takeRunSlot } from '../../../src/core/pipeline/run/runSlots';
import { lockPath } from '../../../src/core/journal/runPaths';

/** A worktree whose lock another live process holds (this test's parent). */
function lockedByOther(folder: string, name: string): string {
  const dir = join(folder, name);
  mkdirSync(join(dir, '.claude', 'runs'), { recursive: true });
  writeFileSync(
    lockPath(dir),
    `${JSON.stringify({ pid: process.ppid, runId: name, started: new Date().toISOString() })}\n`,
  );
  return dir;
}

test("run slots: other processes' live runs fill slots; runs starting together count them once, the next look later counts again", async (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'orch-slots-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  // The clock stands still unless told: the burst is one moment on a loaded machine too.
  t.mock.timers.enable({ apis: ['Date'] });
  const others = ['a', 'b', 'c'].map((name) => lockedByOther(folder, name));
  const waits: number[] = [];
  const take = () => takeRunSlot('ws-burst', folder, 5, (n) => waits.push(n));
  const first = await take();
  rmSync(others[0]!, { recursive: true, force: true });
  const second = await take();
  const third = take();
  assert.deepEqual(
    waits,
    [5],
    'the third waits: two of this process and the three counted for the burst (the lock gone since not looked at again)',
  );
  t.mock.timers.tick(1000);
  first();
  (await third)();
  second();
  assert.deepEqual(waits, [5], "a slot freed later: the other process's runs counted again (two), and the third went");
});
