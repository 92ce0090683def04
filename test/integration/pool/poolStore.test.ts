// The pool's store on a real PostgreSQL server: claims with FOR UPDATE SKIP LOCKED and leases,
// labels, the cap on runs at once, the team budget per day, the mirrored journal, the gate.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Budget } from '../../../src/core/llm/budget';
import { PoolStore } from '../../../src/pool/poolStore';
import { TeamBudget } from '../../../src/pool/teamBudget';
import type { PoolChange } from '../../../src/pool/types';
import { freshDatabase, usePostgres } from '../../support/postgres';
import { numberedRequests } from '../../support/pool/poolRequest';

const pg = usePostgres();

const request = numberedRequests('20261123-100000', { flags: { autoApprove: true, approveGates: true } });

async function stores(count: number): Promise<PoolStore[]> {
  const url = await freshDatabase(pg, 'pool');
  const first = await PoolStore.open(url);
  return [first, ...(await Promise.all(Array.from({ length: count - 1 }, () => PoolStore.open(url))))];
}

test('pool store: six runs, three workers claiming at once on their own connections: each run taken exactly once', async () => {
  const all = await stores(3);
  try {
    for (let i = 0; i < 6; i++) await all[0]!.dispatch(request());
    const taken = await Promise.all(
      all.map(async (store, w) => {
        const mine: string[] = [];
        for (;;) {
          const run = await store.claim(`host/${w}`, [], 60);
          if (!run) return mine;
          mine.push(run.runId);
        }
      }),
    );
    const flat = taken.flat();
    assert.equal(flat.length, 6);
    assert.equal(new Set(flat).size, 6, 'no run taken twice');
    const listed = await all[0]!.list('running');
    assert.deepEqual(listed.map((r) => r.worker).sort(), taken.flatMap((ids, w) => ids.map(() => `host/${w}`)).sort());
  } finally {
    await Promise.all(all.map((s) => s.close()));
  }
});

test('pool store: a lapsed lease frees the run; the old holder can neither renew, mirror nor finish it', async () => {
  const [a, b] = await stores(2);
  try {
    const { runId } = await a!.dispatch(request());
    assert.equal((await a!.claim('one/1', [], 1))?.runId, runId);
    assert.equal(await b!.claim('two/2', [], 1), undefined, 'held while the lease runs');
    // The entries and the progress they bring (the wip commit their push left on the remote) in one statement.
    assert.equal(
      await a!.appendEvents(
        runId,
        'one/1',
        [
          { seq: 1, type: 'run.started' },
          { seq: 2, type: 'phase.started', phase: 'SPEC' },
        ],
        { phase: 'SPEC', wipCommit: 'c'.repeat(40) },
      ),
      true,
    );
    await sleep(1300);
    const again = await b!.claim('two/2', [], 60);
    assert.equal(again?.runId, runId);
    assert.equal(again?.attempts, 2);
    assert.equal(await a!.heartbeat(runId, 'one/1', 60), false);
    assert.equal(
      await a!.appendEvents(runId, 'one/1', [{ seq: 3, type: 'log' }], {
        phase: 'IMPLEMENT',
        wipCommit: 'd'.repeat(40),
      }),
      false,
    );
    assert.deepEqual(
      [(await b!.get(runId))?.phase, (await b!.get(runId))?.wipCommit],
      ['SPEC', 'c'.repeat(40)],
      'the refused append moved nothing',
    );
    assert.equal(await a!.finish(runId, 'one/1', { status: 'completed' }), false);
    assert.deepEqual(
      (await b!.events(runId)).map((e) => e.seq),
      [1, 2],
      'the journal as the first worker left it',
    );
    assert.equal(await b!.heartbeat(runId, 'two/2', 60), true);
    assert.equal(await b!.finish(runId, 'two/2', { status: 'completed', resultBranch: 'orchestrator/x' }), true);
    const done = await b!.get(runId);
    assert.deepEqual([done?.status, done?.worker, done?.resultBranch], ['completed', 'two/2', 'orchestrator/x']);
  } finally {
    await a!.close();
    await b!.close();
  }
});

test('pool store: labels pick workers; the cap on runs at once holds across workers', async () => {
  const [a, b] = await stores(2);
  try {
    const gpu = await a!.dispatch(request({ labels: ['gpu'] }));
    const plain = await a!.dispatch(request());
    assert.equal(
      (await a!.claim('plain/1', ['claude-code'], 60, { maxConcurrentRuns: 1 }))?.runId,
      plain.runId,
      'a plain worker skips the gpu run',
    );
    assert.equal(
      await b!.claim('gpu/2', ['gpu'], 60, { maxConcurrentRuns: 1 }),
      undefined,
      'one run at once in the pool',
    );
    assert.equal(await a!.finish(plain.runId, 'plain/1', { status: 'completed' }), true);
    assert.equal((await b!.claim('gpu/2', ['gpu', 'x'], 60, { maxConcurrentRuns: 1 }))?.runId, gpu.runId);
  } finally {
    await a!.close();
    await b!.close();
  }
});

test('pool store: eight workers claiming at once under limits.poolMaxConcurrentRuns 3: exactly three runs taken, the rest stay queued', async () => {
  const all = await stores(8);
  try {
    for (let i = 0; i < 10; i++) await all[0]!.dispatch(request());
    // Each worker tries twice, all at once: only a count made after the others' claims committed keeps the cap.
    const taken = (
      await Promise.all(
        all.map(async (store, w) => [
          await store.claim(`w/${w}`, [], 60, { maxConcurrentRuns: 3 }),
          await store.claim(`w/${w}`, [], 60, { maxConcurrentRuns: 3 }),
        ]),
      )
    )
      .flat()
      .filter(Boolean);
    assert.equal(taken.length, 3);
    assert.equal((await all[0]!.list('running')).length, 3);
    assert.equal((await all[0]!.list('queued')).length, 7);
    // One ends: room for one more, and only one.
    assert.equal(await all[0]!.finish(taken[0]!.runId, taken[0]!.worker!, { status: 'completed' }), true);
    const next = (
      await Promise.all(
        all.map((store, w) => store.claim(`w/${w}`, [], 60, { maxConcurrentRuns: 3, budgetUsdPerDay: 100 })),
      )
    ).filter(Boolean);
    assert.equal(next.length, 1);
    assert.deepEqual([next[0]!.status, next[0]!.attempts, next[0]!.reason], ['running', 1, undefined]);
  } finally {
    await Promise.all(all.map((s) => s.close()));
  }
});

test('pool store: the day budget adds every charge atomically; once spent, claims stop runs with the reason and admit refuses', async () => {
  const all = await stores(4);
  try {
    await Promise.all(all.flatMap((store) => Array.from({ length: 5 }, () => store.charge(0.05))));
    assert.equal(Math.round((await all[0]!.spentToday()) * 100), 100, '20 charges of $0.05 from four connections');
    const { runId } = await all[0]!.dispatch(request());
    const refused = await all[1]!.claim('w/1', [], 60, { budgetUsdPerDay: 1 });
    assert.deepEqual(
      [refused?.runId, refused?.status, refused?.reason],
      [runId, 'stopped', 'limits.poolBudgetUsdPerDay'],
    );
    const budget = new Budget(5, 0, undefined, 0, new TeamBudget(all[2]!, 1).forRun());
    assert.equal(await budget.admit(), false, 'no model call starts');
    assert.equal(budget.exhausted(), 'shared');
    assert.match(budget.describe(), /team's budget is spent \(limits\.poolBudgetUsdPerDay\)/);
    const open = new Budget(5, 0, undefined, 0, new TeamBudget(all[3]!, 2).forRun());
    assert.equal(await open.admit(), true);
    open.charge(1.5);
    assert.equal(await open.admit(), false, "this call's charge spent the $2 day: the next one does not start");
  } finally {
    await Promise.all(all.map((s) => s.close()));
  }
});

test('pool store: a run waits at the gate holding no worker; approve queues it again with that gate approved; changes are announced', async () => {
  const [a, b] = await stores(2);
  const changes: PoolChange[] = [];
  const stop = await b!.watch((change) => changes.push(change));
  try {
    const { runId } = await a!.dispatch(request({ flags: {} }));
    await a!.claim('w/1', [], 60);
    await a!.update(runId, 'w/1', { phase: 'SPEC', costUsd: 0.01 });
    assert.equal(
      await a!.appendEvents(
        runId,
        'w/1',
        [1, 2].map((seq) => ({ seq, ts: new Date().toISOString(), type: seq === 1 ? 'run.started' : 'spec.saved' })),
      ),
      true,
    );
    assert.equal(
      await a!.finish(runId, 'w/1', {
        status: 'awaiting-approval',
        specId: '2026-11-23-address-api',
        spec: { path: 'spec/active/2026-11-23-address-api/spec.md', markdown: '# spec' },
      }),
      true,
    );
    assert.equal(await a!.claim('w/2', [], 60), undefined, 'nothing to take while it waits');
    assert.equal(await a!.approve('2026-11-23-unknown'), undefined);
    // A page that read the run when its journal ended at 1 does not approve it now that it ends at 2.
    assert.equal(
      await b!.approve('2026-11-23-address-api', { journalEnd: 1 }),
      undefined,
      'read before the run moved on',
    );
    assert.equal((await b!.get(runId))?.status, 'awaiting-approval');
    const approved = await b!.approve('2026-11-23-address-api', { journalEnd: 2 });
    // That gate only (its question: the last journal entry mirrored), not `--approve` for every later gate.
    assert.deepEqual(
      [approved?.runId, approved?.status, approved?.flags.approveGates, approved?.flags.approval],
      [runId, 'queued', undefined, { seq: 2 }],
    );
    assert.equal(await b!.approve('2026-11-23-address-api'), undefined, 'approved once');
    const taken = await b!.claim('w/2', [], 60);
    assert.equal(taken?.spec?.markdown, '# spec');
    for (let i = 0; i < 100 && changes.length < 7; i++) await sleep(20);
    // The journal's append moves the run's progress in the same statement, and says so like an update.
    assert.deepEqual(
      changes.map((c) => c.status),
      ['queued', 'running', 'running', 'running', 'awaiting-approval', 'queued', 'running'],
    );
    assert.deepEqual(changes.map((c) => c.worker ?? null).slice(1), ['w/1', 'w/1', 'w/1', 'w/1', 'w/1', 'w/2']);
    assert.equal(changes[2]!.phase, 'SPEC');
  } finally {
    await stop();
    await a!.close();
    await b!.close();
  }
});
