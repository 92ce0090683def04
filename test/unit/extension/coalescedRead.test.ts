import assert from 'node:assert/strict';
import test from 'node:test';
import { CoalescedRead } from '../../../src/extension/util/coalescedRead';

test('a read asked for while one runs runs once more after it, however often it was asked; never two at once', async () => {
  let running = 0;
  let most = 0;
  let reads = 0;
  let release: () => void = () => undefined;
  const coalesced = new CoalescedRead(async () => {
    reads++;
    running++;
    most = Math.max(most, running);
    await new Promise<void>((resolve) => (release = resolve));
    running--;
  });
  const first = coalesced.run();
  void coalesced.run();
  void coalesced.run();
  assert.equal(reads, 1);
  release();
  await first;
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(reads, 2, 'one more read for the three asks during the first');
  release();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(most, 1);
  assert.equal(reads, 2);
});
