// What the live views read (the VS Code sidebar, the portal's Pool page), on a real PostgreSQL:
// the runs still going plus the most recently finished, oldest first; today's spend across the
// pool against the configured limit; and a change from another connection (a dispatch, a
// worker's progress, a budget charge) told to the follower as it happens, without polling.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { followPool } from '../../../src/pool/board';
import { PoolStore } from '../../../src/pool/poolStore';
import { TeamBudget } from '../../../src/pool/teamBudget';
import type { PoolChange } from '../../../src/pool/types';
import { freshDatabase, usePostgres } from '../../support/postgres';
import { numberedRequests } from '../../support/pool/poolRequest';
import { makeShop } from '../../support/engine/shopWorkspace';

const pg = usePostgres();

const request = numberedRequests('20261123-120000', { flags: { autoApprove: true, approveGates: true } });

async function until<T>(what: string, read: () => T | undefined, ms = 5000): Promise<T> {
  for (const end = Date.now() + ms; ; await sleep(20)) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
  }
}

test('pool board: runs still going and the latest finished, oldest first; spend today (UTC) summed over charges', async () => {
  const store = await PoolStore.open(await freshDatabase(pg, 'board'));
  try {
    assert.deepEqual(
      await store.spendToday(),
      { day: new Date().toISOString().slice(0, 10), spentUsd: 0, requests: 0 },
      'nothing spent yet: zero, not missing',
    );
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await store.dispatch(request())).runId);
    // Three end (completed, stopped, failed), one runs, one stays queued.
    for (const [i, status] of [
      [0, 'completed'],
      [1, 'stopped'],
      [2, 'failed'],
    ] as const) {
      assert.equal((await store.claim(`w/${i}`, [], 60))?.runId, ids[i]);
      assert.equal(
        await store.finish(ids[i]!, `w/${i}`, {
          status,
          ...(status === 'completed'
            ? { resultBranch: 'orchestrator/x', resultCommit: 'c'.repeat(40) }
            : { reason: `why ${i}` }),
        }),
        true,
      );
    }
    assert.equal((await store.claim('w/3', [], 60))?.runId, ids[3]);
    await store.update(ids[3]!, 'w/3', { phase: 'IMPLEMENT', wave: '1/2', costUsd: 0.25 });

    const all = await store.board(50);
    assert.deepEqual(
      all.map((r) => [r.runId, r.status, r.worker ?? null]),
      [
        [ids[0], 'completed', 'w/0'],
        [ids[1], 'stopped', 'w/1'],
        [ids[2], 'failed', 'w/2'],
        [ids[3], 'running', 'w/3'],
        [ids[4], 'queued', null],
      ],
    );
    assert.deepEqual([all[3]!.phase, all[3]!.wave, all[3]!.costUsd], ['IMPLEMENT', '1/2', 0.25]);
    // Only the most recently finished are kept (here 2 of 3), every run still going always.
    assert.deepEqual(
      (await store.board(2)).map((r) => r.runId),
      [ids[1], ids[2], ids[3], ids[4]],
    );

    await Promise.all(Array.from({ length: 8 }, () => store.charge(0.125)));
    const spend = await store.spendToday();
    assert.deepEqual([spend.spentUsd, spend.requests], [1, 8]);
  } finally {
    await store.close();
  }
});

test('pool board: followPool reads the runs and spend against limits.poolBudgetUsdPerDay, and hears every change of another process live', async () => {
  const url = await freshDatabase(pg, 'board');
  const shop = makeShop({
    config: (yaml) =>
      `${yaml.replace('limits:\n', 'limits:\n  poolBudgetUsdPerDay: 20\n  poolMaxConcurrentRuns: 3\n')}\nqueue:\n  url: ${url}\n`,
  });
  const other = await PoolStore.open(url);
  const heard: (PoolChange | undefined)[] = [];
  const follower = await followPool(shop.dir, (change) => heard.push(change));
  try {
    const empty = await follower.board();
    assert.deepEqual(
      [empty.runs, empty.spentTodayUsd, empty.requestsToday, empty.budgetUsdPerDay, empty.maxConcurrentRuns],
      [[], 0, 0, 20, 3],
    );

    const { runId } = await other.dispatch(request({ flags: {} }));
    await until('the dispatch', () => heard.find((c) => c?.runId === runId && c.status === 'queued'));
    await other.claim('build-7', [], 60);
    await other.update(runId, 'build-7', { phase: 'SPEC', costUsd: 0.5 });
    await until('the progress', () => heard.find((c) => c?.runId === runId && c.phase === 'SPEC'));
    // A run from an issue: the links its github.* entries name (the catalogue says which), the latest of each kind.
    await other.appendEvents(runId, 'build-7', [
      { seq: 1, type: 'github.issue.linked', url: 'https://github.example/o/r/issues/7', by: 'alice' },
      { seq: 2, type: 'github.ci.failed', url: 'https://github.example/o/r/actions/runs/1' },
      { seq: 3, type: 'github.pr.opened', url: 'https://github.example/o/r/pull/12', detail: '#12' },
      { seq: 4, type: 'github.pr.updated', url: 'https://github.example/o/r/pull/13', detail: '#13' },
    ]);
    assert.deepEqual((await follower.board()).runs[0]!.github, [
      { kind: 'issue', url: 'https://github.example/o/r/issues/7', label: 'Issue #7' },
      { kind: 'pull', url: 'https://github.example/o/r/pull/13', label: 'Pull request #13' },
    ]);
    // A worker's charge through the team budget: the spend moves, and the views hear it.
    const budget = new TeamBudget(other, 20);
    budget.charge(1.75);
    await budget.flush();
    const charged = await until('the charge', () => heard.find((c) => c?.kind === 'budget'));
    assert.equal(charged!.spentUsd, 1.75);
    await other.finish(runId, 'build-7', {
      status: 'awaiting-approval',
      specId: '2026-11-23-board',
      spec: { path: 'spec/active/2026-11-23-board/spec.md', markdown: '# s' },
    });
    await until('the gate', () => heard.find((c) => c?.runId === runId && c.status === 'awaiting-approval'));

    const board = await follower.board();
    assert.equal(board.spentTodayUsd, 1.75);
    assert.equal(board.requestsToday, 1);
    assert.deepEqual(
      board.runs.map((r) => [r.runId, r.status, r.phase, r.worker, r.costUsd, r.specId, r.attempts]),
      [[runId, 'awaiting-approval', 'SPEC', 'build-7', 0.5, '2026-11-23-board', 1]],
    );
    assert.match(board.runs[0]!.updatedAt, /^\d{4}-\d\d-\d\dT/);

    // The views' Approve: the same engine call as `approve <specId>` and the portal's Specs page.
    assert.equal((await follower.approve('2026-11-23-board', 'lee'))?.runId, runId);
    assert.equal((await other.get(runId))?.status, 'queued');
    assert.equal(await follower.approve('2026-11-23-board', 'lee'), undefined, 'approved once');
    // The views' Stop (the sidebar's Pool section): the run queued again is stopped, with who stopped it; once.
    assert.equal((await follower.cancel(runId, 'cancelled by lee in VS Code'))?.was, 'queued');
    assert.deepEqual(
      [(await other.get(runId))?.status, (await other.get(runId))?.reason],
      ['stopped', 'cancelled by lee in VS Code'],
    );
    await until('the stop', () => heard.find((c) => c?.runId === runId && c.status === 'stopped'));
    assert.equal(await follower.cancel(runId, 'again'), undefined, 'stopped once');
  } finally {
    await follower.close();
    await other.close();
    shop.cleanup();
  }
});
