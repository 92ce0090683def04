import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newRunId, runIdTime } from '../../../src/core/journal/runId';
import { assertSafeRunId } from '../../../src/core/journal/runPaths';

describe('runId', () => {
  it('is UTC date-time plus a random suffix', () => {
    const id = newRunId(new Date(Date.UTC(2026, 10, 21, 10, 15, 30)));
    assert.match(id, /^20261121-101530-[0-9a-f]{4}$/);
    assert.deepEqual(runIdTime(id), new Date(Date.UTC(2026, 10, 21, 10, 15, 30)));
    assert.doesNotThrow(() => assertSafeRunId(id));
  });

  it('sorts chronologically as a plain string', () => {
    const instants = [
      Date.UTC(2026, 0, 2, 0, 0, 0),
      Date.UTC(2025, 11, 31, 23, 59, 59),
      Date.UTC(2026, 0, 1, 9, 5, 7),
      Date.UTC(2026, 9, 1, 0, 0, 0),
    ];
    const ids = instants.map((t) => newRunId(new Date(t)));
    const byString = [...ids].sort();
    const byTime = [...ids].sort((a, b) => runIdTime(a)!.getTime() - runIdTime(b)!.getTime());
    assert.deepEqual(byString, byTime);
    assert.equal(byString[0]!.slice(0, 15), '20251231-235959');
  });

  it('only safe ids are accepted as directory names', () => {
    for (const bad of ['', '../x', 'a/b', 'a\\b', '.hidden', 'a b', 'x'.repeat(101)]) {
      assert.throws(() => assertSafeRunId(bad), /Invalid runId/, bad);
    }
    assert.equal(runIdTime('custom-id'), undefined);
  });
});
