// Issue 38: `orchestrator_runStatus` and `/status` list the pool's runs beside this window's, on a
// real PostgreSQL: each pooled run with its worker, status, phase, wave and cost, the gate a run
// waits at (the spec's, or a workflow phase's), only the runs still going unless one is asked by
// id, nothing read from the pool in Restricted Mode, and the local runs still listed when the
// pool cannot be reached.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runStatusData, type StatusServices } from '../../../src/extension/chat/runStatusData';
import { realEngine } from '../../../src/extension/engine';
import { PoolStore, type MirroredEntry } from '../../../src/pool/poolStore';
import type { RunView, ViewState } from '../../../src/shared/viewState';
import { freshDatabase, usePostgres } from '../../support/postgres';
import { numberedRequests } from '../../support/pool/poolRequest';
import { makeShop, type ShopWorkspace } from '../../support/engine/shopWorkspace';

const pg = usePostgres();

const request = numberedRequests('20261124-140000');

const localRun: RunView = {
  runId: 'local-1',
  kind: 'bugfix',
  request: 'Fix the totals',
  status: 'running',
  live: true,
  phase: 'IMPLEMENT',
  phases: [],
  waves: [],
  agents: [],
  usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
  costUsd: 0.5,
  filesChanged: ['server/totals.js'],
  activity: [],
};

/** The services the status reads: this window's view state (one run going, or none) and the real engine. */
const services = (run?: RunView): StatusServices =>
  ({
    store: { state: { run } as ViewState },
    decisions: { pending: undefined },
    engine: realEngine,
  }) as unknown as StatusServices;

function shopOn(url: string): ShopWorkspace {
  return makeShop({ config: (yaml) => `${yaml}\nqueue:\n  url: ${url}\n` });
}

test("orchestrator_runStatus: the pool's runs going beside this window's, each with its worker, phase, cost and gate; one asked by id; none in Restricted Mode", async () => {
  const url = await freshDatabase(pg, 'chat_status');
  const store = await PoolStore.open(url);
  const shop = shopOn(url);
  try {
    const [queued, running, atSpec, atPhase, done] = [
      request(),
      request({ kind: 'bugfix' }),
      request(),
      request({ flags: { workflow: 'signed' } }),
      request(),
    ];
    for (const r of [running, atSpec, atPhase, done, queued]) await store.dispatch(r);
    assert.equal((await store.claim('build-7', [], 60))?.runId, running.runId);
    await store.update(running.runId, 'build-7', { phase: 'IMPLEMENT', wave: '1/2', costUsd: 0.25 });
    await store.claim('build-2', [], 60);
    await store.appendEvents(atSpec.runId, 'build-2', [
      { seq: 1, type: 'run.started', runId: atSpec.runId, kind: 'feature', request: atSpec.request },
      { seq: 2, type: 'spec.saved', specId: '2026-11-24-at-spec', path: 'spec/active/2026-11-24-at-spec/spec.md' },
    ]);
    await store.finish(atSpec.runId, 'build-2', {
      status: 'awaiting-approval',
      specId: '2026-11-24-at-spec',
      spec: { path: 'spec/active/2026-11-24-at-spec/spec.md', markdown: '## Spec: At spec\n' },
      costUsd: 0.05,
    });
    await store.claim('build-3', [], 60);
    const signoff: MirroredEntry[] = [
      {
        seq: 1,
        type: 'run.started',
        runId: atPhase.runId,
        kind: 'feature',
        request: atPhase.request,
        workflow: 'signed',
      },
      { seq: 2, type: 'spec.approved', specId: '2026-11-24-signed' },
      { seq: 3, type: 'phase.started', phase: 'SIGNOFF' },
      { seq: 4, type: 'phase.awaiting', phase: 'SIGNOFF', documents: ['spec/active/2026-11-24-signed/uat.md'] },
      { seq: 5, type: 'phase.saved', phase: 'SIGNOFF', documents: ['spec/active/2026-11-24-signed/uat.md'] },
    ];
    await store.appendEvents(atPhase.runId, 'build-3', signoff);
    await store.finish(atPhase.runId, 'build-3', { status: 'awaiting-approval', specId: '2026-11-24-signed' });
    await store.claim('build-4', [], 60);
    await store.finish(done.runId, 'build-4', {
      status: 'completed',
      resultBranch: 'orchestrator/done',
      resultCommit: 'c'.repeat(40),
      costUsd: 1.5,
    });

    const answer = await runStatusData(services(localRun), shop.dir, undefined, true);
    assert.equal(answer.poolError, undefined);
    // This window's run first, then the pool's still going (oldest first); the completed one is not going.
    assert.deepEqual(
      answer.runs.map((r) => r.runId),
      ['local-1', running.runId, atSpec.runId, atPhase.runId, queued.runId],
    );
    assert.deepEqual(answer.runs[0], {
      runId: 'local-1',
      kind: 'bugfix',
      request: 'Fix the totals',
      status: 'running',
      live: true,
      phase: 'IMPLEMENT',
      costUsd: 0.5,
      filesChanged: ['server/totals.js'],
    });
    const by = Object.fromEntries(answer.runs.map((r) => [r.runId, r]));
    assert.deepEqual(by[running.runId], {
      runId: running.runId,
      kind: 'bugfix',
      request: running.request,
      status: 'running',
      live: true,
      phase: 'IMPLEMENT',
      costUsd: 0.25,
      dispatch: 'pool',
      worker: 'build-7',
      wave: '1/2',
    });
    assert.deepEqual(by[atSpec.runId], {
      runId: atSpec.runId,
      kind: 'feature',
      request: atSpec.request,
      status: 'awaiting-approval',
      live: true,
      specId: '2026-11-24-at-spec',
      costUsd: 0.05,
      awaitingDecision: { specId: '2026-11-24-at-spec' },
      dispatch: 'pool',
      worker: 'build-2',
    });
    assert.deepEqual(
      by[atPhase.runId]!.awaitingDecision,
      { specId: '2026-11-24-signed', phase: 'SIGNOFF' },
      'the phase whose gate it waits at',
    );
    assert.deepEqual(by[queued.runId], {
      runId: queued.runId,
      kind: 'feature',
      request: queued.request,
      status: 'queued',
      live: true,
      costUsd: 0,
      dispatch: 'pool',
    });

    // By id: a finished pooled run too, with its branch.
    assert.deepEqual((await runStatusData(services(localRun), shop.dir, done.runId, true)).runs, [
      {
        runId: done.runId,
        kind: 'feature',
        request: done.request,
        status: 'completed',
        live: false,
        costUsd: 1.5,
        dispatch: 'pool',
        worker: 'build-4',
        resultBranch: 'orchestrator/done',
      },
    ]);
    // Restricted Mode: the server the workspace names is not contacted.
    assert.deepEqual(
      (await runStatusData(services(localRun), shop.dir, undefined, false)).runs.map((r) => r.runId),
      ['local-1'],
    );
  } finally {
    await store.close();
    shop.cleanup();
  }
});

test("orchestrator_runStatus: with nothing going, the pool's latest run; with the pool down, the local runs and the reason", async () => {
  const url = await freshDatabase(pg, 'chat_status');
  const store = await PoolStore.open(url);
  const shop = shopOn(url);
  const down = shopOn('postgres://postgres@127.0.0.1:1/nowhere');
  try {
    const [first, last] = [request(), request()];
    for (const r of [first, last]) await store.dispatch(r);
    for (const r of [first, last]) {
      await store.claim('build-1', [], 60);
      await store.finish(r.runId, 'build-1', { status: 'failed', reason: `why ${r.runId}` });
    }
    assert.deepEqual((await runStatusData(services(), shop.dir, undefined, true)).runs, [
      {
        runId: last.runId,
        kind: 'feature',
        request: last.request,
        status: 'failed',
        live: false,
        costUsd: 0,
        error: `why ${last.runId}`,
        dispatch: 'pool',
        worker: 'build-1',
      },
    ]);

    const unreachable = await runStatusData(services(localRun), down.dir, undefined, true);
    assert.deepEqual(
      unreachable.runs.map((r) => r.runId),
      ['local-1'],
    );
    assert.match(unreachable.poolError ?? '', /ECONNREFUSED|connect/);
  } finally {
    await store.close();
    shop.cleanup();
    down.cleanup();
  }
});
