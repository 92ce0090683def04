// The sidebar's Pool section through the webview protocol (issue 28): the messages it may send
// (Approve a pooled spec, Apply a completed run, Stop a run still going) parse, hostile ones are dropped; the pool's
// runs travel in the state, a malformed pool drops the state; the reducer sets and clears it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyViewState, parseHostMessage, parseWebviewMessage, type PoolView } from '../../../src/shared/protocol';
import { reduce } from '../../../src/extension/view/reducer';

const run = {
  runId: '20261123-110000-beef',
  specId: null,
  status: 'running',
  phase: 'IMPLEMENT',
  wave: '1/2',
  worker: 'build-7',
  costUsd: 0.12,
  kind: 'feature',
  request: 'Add an Address entity',
  updatedAt: '2026-11-23T11:00:00.000Z',
  attempts: 1,
} as const;

test('pool messages: Approve, Apply and Stop parse; a run id that is not one, an empty spec id or a missing field is dropped', () => {
  for (const message of [
    { type: 'poolApprove', specId: '2026-11-23-address-api' },
    { type: 'poolApply', runId: '20261123-110000-beef' },
    { type: 'poolStop', runId: '20261123-110000-beef' },
  ]) {
    const parsed = parseWebviewMessage(message);
    assert.ok(parsed.ok, JSON.stringify(message));
    if (parsed.ok) assert.deepEqual(parsed.message, message);
  }
  for (const bad of [
    { type: 'poolApply', runId: '../../etc' },
    { type: 'poolApply', runId: '--upload-pack=evil' },
    { type: 'poolApply', runId: '' },
    { type: 'poolApply' },
    { type: 'poolStop', runId: '../../etc' },
    { type: 'poolStop' },
    { type: 'poolApprove', specId: '' },
    { type: 'poolApprove', specId: 'x'.repeat(301) },
  ]) {
    const parsed = parseWebviewMessage(bad);
    assert.equal(parsed.ok, false, JSON.stringify(bad));
  }
});

test('pool view: the runs travel in the state (worker, phase, wave, cost, reason); a bad status drops the state', () => {
  const pool: PoolView = {
    runs: [run, { ...run, runId: 'r2', status: 'stopped', reason: 'limits.poolBudgetUsdPerDay', worker: null }],
    day: '2026-11-23',
    spentTodayUsd: 1.5,
    requestsToday: 3,
    budgetUsdPerDay: 4,
  };
  const parsed = parseHostMessage({ type: 'state', state: { ...emptyViewState(), pool } });
  assert.ok(parsed.ok);
  if (parsed.ok && parsed.message.type === 'state') assert.deepEqual(parsed.message.state.pool, pool);
  assert.equal(
    parseHostMessage({
      type: 'state',
      state: { ...emptyViewState(), pool: { runs: [{ ...run, status: 'exploded' }] } },
    }).ok,
    false,
  );
  assert.ok(
    parseHostMessage({
      type: 'state',
      state: { ...emptyViewState(), pool: { runs: [], error: 'connect ECONNREFUSED 127.0.0.1:5432' } },
    }).ok,
    'an unreachable pool is said',
  );
});

test('pool view: the reducer sets it, and clears it when the workspace has no pool any more', () => {
  const empty = emptyViewState();
  const shown = reduce(empty, { type: 'pool', pool: { runs: [run] } });
  assert.deepEqual(shown.pool, { runs: [run] });
  assert.equal(shown.version, empty.version + 1);
  const cleared = reduce(shown, { type: 'pool', pool: undefined });
  assert.equal('pool' in cleared, false);
  assert.equal(reduce(cleared, { type: 'pool', pool: undefined }), cleared, 'nothing to clear: the same state');
});
