// `npm test`'s scoring of a tier (scripts/tierResult.mjs): what could not run counts as failed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error -- a plain .mjs script without type declarations
import { tierResult, totalLine } from '../../../scripts/tierResult.mjs';

type Result = { passed: number; failed: number; note?: string };
const result = tierResult as (run: { code: number; counts?: { passed: number; failed: number }; cannot?: string }) => Result;

test('a tier that passed or failed counts its tests', () => {
  assert.deepEqual(result({ code: 0, counts: { passed: 12, failed: 0 } }), { passed: 12, failed: 0 });
  assert.deepEqual(result({ code: 1, counts: { passed: 10, failed: 2 } }), { passed: 10, failed: 2 });
});

test('a tier that could not run, ran no test, or whose runner failed after passing counts one failure', () => {
  assert.deepEqual(result({ code: 1, cannot: 'e2e: install.sh exited with 1' }), { passed: 0, failed: 1, note: 'could not run: e2e: install.sh exited with 1' });
  assert.deepEqual(result({ code: 1 }), { passed: 0, failed: 1, note: 'ran no test (exit 1)' });
  assert.deepEqual(result({ code: 0, counts: { passed: 0, failed: 0 } }), { passed: 0, failed: 1, note: 'ran no test (exit 0)' });
  assert.deepEqual(result({ code: 1, counts: { passed: 30, failed: 0 } }), { passed: 30, failed: 1, note: 'exit 1 although no test failed' });
});

test('the closing line sums every tier and never reads "0 passed, 0 failed"', () => {
  const tiers = [result({ code: 0, counts: { passed: 353, failed: 0 } }), result({ code: 1, cannot: 'no code-server' }), result({ code: 0, counts: { passed: 4, failed: 0 } })];
  assert.equal((totalLine as (r: Result[]) => string)(tiers), 'total: 357 passed, 1 failed');
  assert.equal((totalLine as (r: Result[]) => string)([result({ code: 0 })]), 'total: 0 passed, 1 failed');
});
