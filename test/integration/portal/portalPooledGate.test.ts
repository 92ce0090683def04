// A pooled run waiting at a workflow phase's gate in the portal (issue 29), on a real PostgreSQL:
// the run's mirrored journal says which gate and which question; the Specs page lists it with the
// phase gates (not as a spec), its documents split from what the run stored at the gate; a
// supervisor's approval naming that phase and question queues it again with that gate approved
// (only) for any free worker; a stale question, another answer than approve, or an agent account are refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MirroredEntry } from '../../../src/pool/poolStore';
import type { PoolRequest } from '../../../src/pool/types';
import { usePooledPortal } from '../../support/portal/pooledPortal';
import { poolRequest } from '../../support/pool/poolRequest';

const pooled = usePooledPortal('pool_gate');

const SPEC = '2026-11-23-reservation-notes';
const UAT = `spec/active/${SPEC}/uat.md`;

const request = (runId: string, specId: string): PoolRequest =>
  poolRequest(runId, { kind: 'approve', request: 'Reservation notes', specId, flags: { workflow: 'signed' } });

/** What a worker mirrors of an approved spec's run that reached SIGNOFF's gate and saved there. */
const journal = (runId: string): MirroredEntry[] => [
  { seq: 1, type: 'run.started', runId, kind: 'feature', request: 'Reservation notes', workflow: 'signed' },
  { seq: 2, type: 'spec.approved', specId: SPEC },
  { seq: 3, type: 'phase.started', phase: 'SIGNOFF' },
  { seq: 4, type: 'phase.completed', phase: 'SIGNOFF', ms: 5 },
  { seq: 5, type: 'phase.awaiting', phase: 'SIGNOFF', documents: [UAT] },
  { seq: 6, type: 'phase.saved', phase: 'SIGNOFF', documents: [UAT] },
  { seq: 7, type: 'run.completed', runId, summary: { status: 'spec-saved' } },
];

test('the gates API on a pool: a pooled run at a phase gate is listed with its phase and documents, and approved for any free worker', async () => {
  const atGate = '20261123-150000-0001';
  const atSpec = '20261123-150000-0002';
  await pooled.store.dispatch(request(atGate, SPEC));
  await pooled.store.dispatch({
    ...request(atSpec, '2026-11-23-other'),
    kind: 'feature',
    specId: undefined,
  } as PoolRequest);
  await pooled.store.claim('build-1', [], 60);
  await pooled.store.claim('build-2', [], 60);
  assert.ok(await pooled.store.appendEvents(atGate, 'build-1', journal(atGate)));
  assert.ok(
    await pooled.store.finish(atGate, 'build-1', {
      status: 'awaiting-approval',
      specId: SPEC,
      spec: {
        path: `spec/active/${SPEC}/spec.md`,
        markdown: `<!-- document: ${UAT} -->\n# UAT report\n\n## UAT\nSigned [here](https://example.com/uat).\n`,
      },
    }),
  );
  assert.ok(
    await pooled.store.appendEvents(atSpec, 'build-2', [
      { seq: 1, type: 'run.started', runId: atSpec, kind: 'feature', request: 'Other' },
      { seq: 2, type: 'spec.saved', specId: '2026-11-23-other', path: 'spec/active/2026-11-23-other/spec.md' },
    ]),
  );
  assert.ok(
    await pooled.store.finish(atSpec, 'build-2', {
      status: 'awaiting-approval',
      specId: '2026-11-23-other',
      spec: { path: 'spec/active/2026-11-23-other/spec.md', markdown: '---\ntitle: Other\n---\n## Spec: Other\n' },
    }),
  );

  const bot = await pooled.world.signIn('bot');
  const gates = await pooled.world.as(bot, 'GET', '/api/gates');
  assert.equal(gates.status, 200, gates.text);
  assert.equal(gates.json.length, 1);
  const [gate] = gates.json;
  assert.deepEqual(
    [gate.runId, gate.specId, gate.phase, gate.state, gate.asked, gate.workflow],
    [atGate, SPEC, 'SIGNOFF', 'pooled', 5, 'signed'],
  );
  assert.deepEqual(gate.documents, [
    { path: UAT, markdown: '# UAT report\n\n## UAT\nSigned [here](https://example.com/uat).\n' },
  ]);
  // The Specs list keeps the pooled spec at its spec gate, not the run at a phase's gate.
  assert.deepEqual(
    (await pooled.world.as(bot, 'GET', '/api/specs')).json.map((s: { id: string }) => s.id),
    ['2026-11-23-other'],
  );
  const decide = (who: { cookie: string; csrf: string }, body: unknown) =>
    pooled.world.as(who, 'POST', `/api/gates/${atGate}/decision`, body);
  assert.equal((await decide(bot, { phase: 'SIGNOFF', asked: 5, action: 'approve' })).status, 403);

  const sam = await pooled.world.signIn('sam');
  const changes = await decide(sam, { phase: 'SIGNOFF', asked: 5, action: 'changes', feedback: 'More on mobile' });
  assert.equal(changes.status, 400);
  assert.match(changes.json.error, /waits in the pool: approve it here, or request changes where it was dispatched/);
  const stale = await decide(sam, { phase: 'SIGNOFF', asked: 4, action: 'approve' });
  assert.equal(stale.status, 409);
  assert.match(stale.json.error, /reload the page/);
  assert.equal((await pooled.store.get(atGate))!.status, 'awaiting-approval', 'nothing changed');

  const approved = await decide(sam, { phase: 'SIGNOFF', asked: 5, action: 'approve' });
  assert.equal(approved.status, 200, approved.text);
  assert.deepEqual(approved.json, {
    runId: atGate,
    phase: 'SIGNOFF',
    action: 'approve',
    by: 'sam',
    pool: { runId: atGate },
  });
  const queued = (await pooled.store.get(atGate))!;
  // This gate only (the question last mirrored when approved: seq 7), not --approve for every later gate.
  assert.deepEqual([queued.status, queued.flags], ['queued', { workflow: 'signed', approval: { seq: 7, by: 'sam' } }]);
  assert.deepEqual((await pooled.world.as(sam, 'GET', '/api/gates')).json, []);
});
