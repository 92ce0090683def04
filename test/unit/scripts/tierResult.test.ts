// `npm test`'s scoring of a tier (scripts/tierResult.mjs): what could not run counts as failed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error -- a plain .mjs script without type declarations
import { failuresOf, tierResult, totalLine } from '../../../scripts/tierResult.mjs';

type Result = { passed: number; failed: number; note?: string };
const result = tierResult as (run: {
  code: number;
  counts?: { passed: number; failed: number };
  cannot?: string;
}) => Result;

test('a tier that passed or failed counts its tests', () => {
  assert.deepEqual(result({ code: 0, counts: { passed: 12, failed: 0 } }), { passed: 12, failed: 0 });
  assert.deepEqual(result({ code: 1, counts: { passed: 10, failed: 2 } }), { passed: 10, failed: 2 });
});

test('a tier that could not run, ran no test, or whose runner failed after passing counts one failure', () => {
  assert.deepEqual(result({ code: 1, cannot: 'e2e: install.sh exited with 1' }), {
    passed: 0,
    failed: 1,
    note: 'could not run: e2e: install.sh exited with 1',
  });
  assert.deepEqual(result({ code: 1 }), { passed: 0, failed: 1, note: 'ran no test (exit 1)' });
  assert.deepEqual(result({ code: 0, counts: { passed: 0, failed: 0 } }), {
    passed: 0,
    failed: 1,
    note: 'ran no test (exit 0)',
  });
  assert.deepEqual(result({ code: 1, counts: { passed: 30, failed: 0 } }), {
    passed: 30,
    failed: 1,
    note: 'exit 1 although no test failed',
  });
});

test('the closing line sums every tier and never reads "0 passed, 0 failed"', () => {
  const tiers = [
    result({ code: 0, counts: { passed: 353, failed: 0 } }),
    result({ code: 1, cannot: 'no code-server' }),
    result({ code: 0, counts: { passed: 4, failed: 0 } }),
  ];
  assert.equal((totalLine as (r: Result[]) => string)(tiers), 'total: 357 passed, 1 failed');
  assert.equal((totalLine as (r: Result[]) => string)([result({ code: 0 })]), 'total: 0 passed, 1 failed');
});

test('the failed tests of a TAP report: each failing leaf with its place and the first line of its error; passing, skipped and parent tests are not listed', () => {
  const tap = [
    'TAP version 13',
    '# Subtest: a',
    'ok 1 - a',
    '# Subtest: b fails',
    'not ok 2 - b fails',
    '  ---',
    "  location: '/repo/test/unit/b.test.ts:3:1'",
    "  failureType: 'testCodeFailure'",
    '  error: |-',
    '    boom',
    '    second',
    '  ...',
    '# Subtest: parent',
    '    # Subtest: child fails',
    '    not ok 1 - child fails',
    '      ---',
    "      location: '/repo/test/unit/c.test.ts:4:39'",
    "      failureType: 'testCodeFailure'",
    "      error: 'inner'",
    '      ...',
    'not ok 3 - parent',
    '  ---',
    "  failureType: 'subtestsFailed'",
    "  error: '1 subtest failed'",
    '  ...',
    'ok 4 - skipped # SKIP',
  ].join('\n');
  assert.deepEqual((failuresOf as (t: string) => unknown)(tap), [
    { name: 'b fails', location: '/repo/test/unit/b.test.ts:3:1', error: 'boom' },
    { name: 'child fails', location: '/repo/test/unit/c.test.ts:4:39', error: 'inner' },
  ]);
  assert.deepEqual((failuresOf as (t: string) => unknown)('TAP version 13\nok 1 - a\n'), []);
});
