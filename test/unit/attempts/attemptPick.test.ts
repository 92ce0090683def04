// The pick's order (docs/attempts.md), one criterion at a time: proof tests green, then retries,
// cost and finish; ties to the lowest k; an attempt that failed validation is never kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pickAttempt, type JudgedAttempt } from '../../../src/core/pipeline/attempts';

const attempt = (k: number, over: Partial<JudgedAttempt> = {}): JudgedAttempt => ({
  k,
  runner: 'agent',
  proofGreen: 2,
  proofTotal: 3,
  validate: 'passed',
  retries: 0,
  costUsd: 0.5,
  durationMs: 1000,
  finishedAt: 1000,
  ...over,
});

test('each criterion decides when those before it tie, and the reason names it', () => {
  const cases: [JudgedAttempt[], number, RegExp][] = [
    [
      [attempt(1, { proofGreen: 1, retries: 0 }), attempt(2, { proofGreen: 3, retries: 2, costUsd: 9 })],
      2,
      /^most proof tests green \(3\/3, attempt 1: 1\/3\)$/,
    ],
    [[attempt(1, { retries: 2 }), attempt(2, { retries: 1, costUsd: 3 })], 2, /^fewest retries \(1, attempt 1: 2\)$/],
    [
      [attempt(1, { costUsd: 0.42 }), attempt(2, { costUsd: 0.07, finishedAt: 5000 })],
      2,
      /^lowest cost \(\$0\.0700, attempt 1: \$0\.42\)$/,
    ],
    [
      [attempt(1, { finishedAt: 3000 }), attempt(2, { finishedAt: 2000 })],
      2,
      /^earliest finish \(attempt 1 finished later\)$/,
    ],
    [[attempt(2), attempt(1)], 1, /^as good as attempt 2 in every way, and the lower number$/],
  ];
  for (const [judged, k, why] of cases) {
    const pick = pickAttempt(judged)!;
    assert.equal(pick.k, k, why.source);
    assert.match(pick.why, why);
  }
});

test('a failed validation is never kept, whatever its proof; none passing picks none', () => {
  const pick = pickAttempt([
    attempt(1, { validate: 'failed', proofGreen: 3 }),
    attempt(2, { proofGreen: 0, retries: 2 }),
    attempt(3, { validate: 'failed' }),
  ])!;
  assert.deepEqual(pick, { k: 2, why: 'the only one that passed validation; attempts 1, 3 failed validation' });
  assert.equal(pickAttempt([attempt(1, { validate: 'failed' })]), undefined);
  assert.deepEqual(pickAttempt([attempt(1)]), { k: 1, why: 'the only attempt' });
});
