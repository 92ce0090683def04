// The portal's route table (src/shared/portalRoutes.ts): the server finds a call's route by its
// method and path as the string matching it found before, and the page writes each path from it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchRoute, pathOf, ROUTES } from '../../../src/shared/portalRoutes';

test('a method and path name one route, with its parameters; the first in the table wins', () => {
  assert.deepEqual(matchRoute('GET', '/api/signin'), { name: 'signInOptions', params: {} });
  assert.deepEqual(matchRoute('POST', '/api/tasks/T-1/review'), { name: 'review', params: { id: 'T-1' } });
  assert.deepEqual(matchRoute('DELETE', '/api/accounts/ada%20b/token'), {
    name: 'revokeToken',
    params: { name: 'ada%20b' },
  });
  // A run id of `confirmations` would be a gate's decision too: the confirmation comes first.
  assert.deepEqual(matchRoute('POST', '/api/gates/confirmations/decision'), {
    name: 'confirm',
    params: { runId: 'decision' },
  });
  assert.deepEqual(matchRoute('POST', '/api/gates/run-1/decision'), { name: 'decideGate', params: { runId: 'run-1' } });
});

test('a path no route has, or a parameter outside its pattern, names none', () => {
  for (const [method, path] of [
    ['POST', '/api/tasks/T-1'],
    ['GET', '/api/tasks/T-1/review'],
    ['POST', '/api/gates/..%2Fx/decision'],
    ['GET', `/api/tasks/${'a'.repeat(41)}`],
    ['POST', '/api/specs/Upper/decision'],
    ['PUT', '/api/signin'],
  ] as const) {
    assert.equal(matchRoute(method, path), undefined, `${method} ${path}`);
  }
});

test("the page's paths are the table's with each parameter encoded", () => {
  assert.equal(pathOf(ROUTES.issueToken, { name: 'ada/b' }), '/api/accounts/ada%2Fb/token');
  assert.equal(pathOf(ROUTES.poolJournal, { runId: 'r-1' }), '/api/pool/runs/r-1/events');
  assert.equal(pathOf(ROUTES.me, {}), '/api/me');
});
