// The sidebar's Approve for a spec that is not the pending one asks for confirmation first
// (issue 8, point 8): a stale view or a stray click must not start a run on its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { approveFromSidebar, type ApproveDeps } from '../../../src/extension/sidebar/approveFromSidebar';

function deps(pending: string | undefined, answer: boolean, trusted = true) {
  const calls = { approved: [] as string[], asked: [] as string[], implemented: [] as string[] };
  const d: ApproveDeps = {
    trusted,
    decisions: {
      pendingSpecId: pending,
      approve: (id) => {
        if (id !== pending) return false;
        calls.approved.push(id!);
        return true;
      },
    },
    confirm: async (message, detail) => {
      calls.asked.push(`${message} ${detail}`);
      return answer;
    },
    implement: async (id) => void calls.implemented.push(id),
  };
  return { d, calls };
}

test('approving the pending spec decides it at once, without a question', async () => {
  const { d, calls } = deps('2026-11-21-product', false);
  await approveFromSidebar('2026-11-21-product', d);
  assert.deepEqual(calls, { approved: ['2026-11-21-product'], asked: [], implemented: [] });
});

test('approving another spec asks first: no run unless confirmed', async () => {
  const refused = deps('2026-11-21-product', false);
  await approveFromSidebar('2026-11-20-orders', refused.d);
  assert.deepEqual(refused.calls.implemented, []);
  assert.equal(refused.calls.asked.length, 1);
  assert.match(
    refused.calls.asked[0]!,
    /^Implement spec 2026-11-20-orders\? The spec waiting for your decision is 2026-11-21-product/,
  );

  const confirmed = deps(undefined, true);
  await approveFromSidebar('2026-11-20-orders', confirmed.d);
  assert.match(confirmed.calls.asked[0]!, /is not waiting for a decision/);
  assert.deepEqual(confirmed.calls.implemented, ['2026-11-20-orders']);

  // Untrusted, the Approve Spec command refuses with the trust message: no question before it.
  const untrusted = deps(undefined, false, false);
  await approveFromSidebar('2026-11-20-orders', untrusted.d);
  assert.deepEqual([untrusted.calls.asked, untrusted.calls.implemented], [[], ['2026-11-20-orders']]);
});
