// The sign-in limiter on its own clock: locked after 5 failures per name or address, for the
// rest of the 15-minute window; a success clears the name; memory stays bounded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_FAILURES, SignInLimiter } from '../../../src/portal/rateLimit';

test('5 failures lock the name and the address until the window passes; a success clears the name only', () => {
  let now = 1_000_000;
  const limiter = new SignInLimiter(() => now);
  const keys = ['name:sam', 'addr:10.0.0.1'];
  for (let i = 0; i < MAX_FAILURES - 1; i++) limiter.failed(keys);
  assert.equal(limiter.retryAfter(keys), 0);
  limiter.failed(keys);
  assert.equal(limiter.retryAfter(['name:sam']), 15 * 60, 'the whole window from the first failure');
  assert.ok(limiter.retryAfter(['name:other', 'addr:10.0.0.1']) > 0, 'the address is locked for every name');
  now += 15 * 60 * 1000;
  assert.equal(limiter.retryAfter(keys), 0, 'the window passed');
  for (let i = 0; i < MAX_FAILURES; i++) limiter.failed(keys);
  limiter.succeeded('sam');
  assert.equal(limiter.retryAfter(['name:sam']), 0);
  assert.ok(limiter.retryAfter(['addr:10.0.0.1']) > 0);
});
