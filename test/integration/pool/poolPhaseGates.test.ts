// Issue 28/29: approving a pooled run's gate approves that gate only. A workflow with two human
// gates (the spec's, and SIGNOFF's sign-off): approved at the spec gate, the run continues on a real
// worker and waits again at SIGNOFF's gate (not approved by the first approval), holding no worker;
// approving that gate completes it. (The approvals' own entries are journaled by the engine
// outside the host's events, so the mirror does not hold them yet: see the report.) Real PostgreSQL, a bare git remote, a worker process (the
// built CLI) in its own clone, one scripted Messages API server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEMO_FILES } from '../../../src/core/llm/demo/demoFeature';
import { buildCli, jsonOf } from '../../support/cli/cliKit';
import { usePostgres } from '../../support/postgres';
import { say, specAnswer, writesThenDone, type AgentScript } from '../../support/engine/agentScript';
import { PRODUCT_SPEC } from '../../support/engine/fixtures';
import { withSections, writesDocuments } from '../../support/workflows/fastapiSlice';
import { poolWorld } from '../../support/pool/poolKit';

const pg = usePostgres(buildCli);

const REQUEST = 'Add a Product entity with name and price';
const SHIPPED_FEATURE = readFileSync(resolve(__dirname, '../../../.claude/workflows/feature.yaml'), 'utf8');
/** Today's pipeline with a UAT sign-off (SIGNOFF, a qa document phase) before COMPLETE: two human gates (SPEC's, SIGNOFF's). */
const SIGNED = SHIPPED_FEATURE.replace(
  '  - name: COMPLETE\n',
  '  - name: SIGNOFF\n    role: qa\n    outputs: [{ document: uat, path: "{spec}/uat.md" }]\n    gate: human\n  - name: COMPLETE\n',
);

/** The agents of the signed workflow's run: the product's layers, and QA writing the UAT report (`asked`: each task QA is given). */
function signedAgents(asked?: (task: string) => void): Record<string, AgentScript> {
  const qa = writesDocuments(() => withSections('UAT report', ['UAT']));
  return {
    spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
    database: writesThenDone(DEMO_FILES.database!),
    backend: writesThenDone(DEMO_FILES.backend!),
    frontend: writesThenDone(DEMO_FILES.frontend!),
    review: () => say.approve(),
    qa: (call) => {
      if (call.turn === 0) asked?.(call.task);
      return qa(call);
    },
  };
}

/** The signed workflow's run dispatched from the checkout, a worker started: once it waits at the spec gate, its run and spec ids. */
async function atSpecGate(
  w: Awaited<ReturnType<typeof poolWorld>>,
): Promise<{ worker: ReturnType<typeof w.worker>; runId: string; specId: string }> {
  w.shop.write('.claude/workflows/signed.yaml', SIGNED);
  const worker = w.worker('one');
  const dispatched = await w.cli(['feature', REQUEST, '--workflow', 'signed', '--pool', '--yes', '--json']);
  assert.equal(dispatched.code, 0, dispatched.stderr);
  const [atSpec] = await w.waitFor('the run at the spec gate', (runs) => runs[0]?.status === 'awaiting-approval');
  return { worker, runId: String(jsonOf(dispatched).runId), specId: atSpec!.specId! };
}

test('pool: approving the spec gate of a pooled run does not approve its later phase gate; the run waits there again and completes once that gate is approved', async () => {
  assert.match(SIGNED, /name: SIGNOFF\n[\s\S]*?gate: human\n {2}- name: COMPLETE/);
  const w = await poolWorld(signedAgents(), { pg });
  try {
    const { worker, runId, specId } = await atSpecGate(w);

    // 1. The spec gate approved from another clone: the worker continues, and SIGNOFF's gate asks again.
    const first = await w.cli(['approve', specId], w.clone('reviewer'));
    assert.equal(first.code, 0, first.stderr);
    await w.waitFor(
      'the run waiting at SIGNOFF',
      (runs) => runs[0]?.status === 'awaiting-approval' && runs[0].flags.approval !== undefined,
      180_000,
    );
    const atReview = await w.store.events(runId);
    const gateWords = (events: typeof atReview) =>
      events
        .filter(
          (e) =>
            String(e.type).startsWith('phase.') &&
            e.phase === 'SIGNOFF' &&
            e.type !== 'phase.started' &&
            e.type !== 'phase.completed',
        )
        .map((e) => e.type);
    assert.ok(
      atReview.some((e) => e.type === 'phase.closed' && e.phase === 'SPEC'),
      'the spec gate passed',
    );
    assert.deepEqual(
      atReview.filter((e) => e.type === 'spec.approved').map((e) => e.specId),
      [specId],
      'the approval is in the database journal, as every journaled event',
    );
    assert.deepEqual(
      gateWords(atReview),
      ['phase.awaiting', 'phase.saved'],
      'SIGNOFF asked, not approved by the spec approval',
    );
    const listed = JSON.parse((await w.cli(['runs', '--pool', '--json'])).stdout) as Record<string, unknown>[];
    assert.deepEqual(
      listed.map((run) => [run.runId, run.status]),
      [[runId, 'awaiting-approval']],
    );

    // 2. SIGNOFF's gate approved: the run completes; one approval journaled per gate.
    const second = await w.cli(['approve', specId], w.clone('manager'));
    assert.equal(second.code, 0, second.stderr);
    const [done] = await w.waitFor(
      'the run completed',
      (runs) => runs[0]?.status === 'completed' || runs[0]?.status === 'stopped' || runs[0]?.status === 'failed',
      180_000,
    );
    assert.equal(done!.status, 'completed', `${done!.reason ?? ''}\n${worker.log()}`);
    const journal = await w.store.events(runId);
    assert.deepEqual(
      journal
        .filter((e) => e.type === 'phase.closed' && (e.phase === 'SIGNOFF' || e.phase === 'SPEC'))
        .map((e) => e.phase),
      ['SPEC', 'SIGNOFF'],
    );
    assert.equal(
      journal.filter((e) => e.type === 'phase.awaiting' && e.phase === 'SIGNOFF').length,
      1,
      'SIGNOFF asked once: its approval answered it, no question again',
    );
    assert.deepEqual(
      journal.filter((e) => e.type === 'phase.approved').map((e) => e.phase),
      ['SIGNOFF'],
      "the gate's approval is in the database journal",
    );
    assert.deepEqual(
      journal.map((e) => e.seq),
      journal.map((_, i) => i + 1),
      'the database journal has every entry, in order',
    );
  } finally {
    await w.close();
  }
});

test("pool: changes asked at a pooled run's phase gate (as /changes on its issue asks them) send the phase's role back with the feedback; the run waits at that gate again, holding no worker, and completes once approved", async () => {
  const qaTasks: string[] = [];
  const w = await poolWorld(
    signedAgents((task) => qaTasks.push(task)),
    { pg },
  );
  try {
    const { worker, runId, specId } = await atSpecGate(w);
    assert.equal((await w.cli(['approve', specId], w.clone('reviewer'))).code, 0);
    await w.waitFor(
      'the run waiting at SIGNOFF',
      (runs) => runs[0]?.status === 'awaiting-approval' && runs[0].flags.approval !== undefined,
      180_000,
    );
    assert.equal(qaTasks.length, 1);

    const asked = await w.store.requestChanges(specId, {
      feedback: 'Add the rollback step to the UAT report',
      by: 'github:alice',
    });
    assert.equal(asked?.status, 'queued');
    await w.waitFor('the run at SIGNOFF again', (runs) => runs[0]?.status === 'awaiting-approval', 180_000);
    assert.equal(qaTasks.length, 2, "the phase's role wrote again");
    assert.match(qaTasks[1]!, /Add the rollback step to the UAT report/, 'with the feedback');
    const words = (await w.store.events(runId))
      .filter(
        (e) =>
          String(e.type).startsWith('phase.') &&
          e.phase === 'SIGNOFF' &&
          !['phase.started', 'phase.completed'].includes(String(e.type)),
      )
      .map((e) => e.type);
    assert.deepEqual(
      words,
      ['phase.awaiting', 'phase.saved', 'phase.decided', 'phase.changes-requested', 'phase.awaiting', 'phase.saved'],
      'decided with changes, asked again',
    );

    assert.equal((await w.cli(['approve', specId], w.clone('manager'))).code, 0);
    const [done] = await w.waitFor(
      'the run completed',
      (runs) => ['completed', 'stopped', 'failed'].includes(runs[0]?.status ?? ''),
      180_000,
    );
    assert.equal(done!.status, 'completed', `${done!.reason ?? ''}\n${worker.log()}`);
  } finally {
    await w.close();
  }
});
