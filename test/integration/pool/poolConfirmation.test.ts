// A pooled run's confirmation (issues 44, 72), end to end on a real PostgreSQL and worker
// processes: a run dispatched without --yes whose database agent writes a migration its spec does
// not name is set aside on its question (question.parked), waiting in the database and holding no
// worker; that worker is killed with kill -9; the answer the portal gives
// (decidePooledConfirmation, what POST /api/gates/confirmations/<runId> calls) queues the run
// again, and another worker continues it through engine.answerQuestion to completion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { decidePooledConfirmation } from '../../../src/pool/index';
import type { PooledConfirmation } from '../../../src/pool/poolConfirmations';
import { buildCli, jsonOf } from '../../support/cli/cliKit';
import { usePostgres } from '../../support/postgres';
import { PRODUCT_MIGRATION } from '../../support/engine/fixtures';
import { INDEX_SQL, migrationAgents, NAMED_MIGRATION, UNNAMED_MIGRATION } from '../../support/github/migrationAgents';
import { poolWorld } from '../../support/pool/poolKit';

const pg = usePostgres(buildCli);

test("pool: a confirmation sets its run aside, holding no worker; the portal's allow, taken by another worker, completes the run", async () => {
  const w = await poolWorld(migrationAgents({ [NAMED_MIGRATION]: PRODUCT_MIGRATION, [UNNAMED_MIGRATION]: INDEX_SQL }), {
    pg,
  });
  try {
    const first = w.worker('one');
    const dispatched = await w.cli([
      'feature',
      'Add a Product entity with name and price',
      '--pool',
      '--approve',
      '--json',
    ]);
    assert.equal(dispatched.code, 0, dispatched.stderr);
    const runId = String(jsonOf(dispatched).runId);
    const [aside] = await w.waitFor(
      'the run set aside',
      (runs) => runs[0]?.status !== 'queued' && runs[0]?.status !== 'running',
    );
    assert.equal(aside!.status, 'awaiting-approval', aside!.reason);
    const asked: PooledConfirmation | undefined = await w.store.confirmations.of(runId);
    assert.deepEqual(
      [asked?.asked.kind, asked?.asked.agent, asked?.asked.paths],
      ['schema-change', 'database', [UNNAMED_MIGRATION]],
    );
    const journal = await w.store.events(runId);
    assert.match(
      String(journal.at(-1)?.message),
      /set aside: it waits for the answer to its confirmation in the portal/,
    );
    const parked = journal.find((e) => e.type === 'question.parked');
    assert.equal(parked?.id, asked!.asked.questionId, 'set aside on the question the portal shows');
    for (let i = 0; i < 100 && !/run \S+ ended/.test(first.log()); i++) await sleep(100);
    assert.match(first.log(), new RegExp(`run ${runId} ended`), 'its worker is free');
    first.child.kill('SIGKILL');
    assert.equal((await first.done).signal, 'SIGKILL');
    w.worker('two');

    // As the portal serving the checkout with the pool's address in its environment.
    const before = process.env.ORCHESTRATOR_QUEUE_URL;
    process.env.ORCHESTRATOR_QUEUE_URL = w.url;
    try {
      assert.equal(await decidePooledConfirmation(w.shop.dir, runId, asked!.since, true, 'sam'), true);
    } finally {
      if (before === undefined) delete process.env.ORCHESTRATOR_QUEUE_URL;
      else process.env.ORCHESTRATOR_QUEUE_URL = before;
    }
    const [done] = await w.waitFor(
      'the run completed',
      (runs) => runs[0]?.status === 'completed' || runs[0]?.status === 'stopped' || runs[0]?.status === 'failed',
    );
    assert.equal(done!.status, 'completed', done!.reason);
    assert.equal(
      execFileSync('git', ['--git-dir', w.remote, 'show', `${done!.resultCommit}:${UNNAMED_MIGRATION}`], {
        encoding: 'utf8',
      }),
      INDEX_SQL,
    );
    const events = await w.store.events(runId);
    const answered = events.find((e) => e.type === 'question.answered' && e.id === parked!.id);
    assert.deepEqual([answered?.answer, answered?.by, answered?.who], ['yes', 'later', 'sam']);
    const confirmations = events.filter((e) => e.type === 'confirmation' && e.covered === undefined);
    assert.deepEqual(
      confirmations.map((e) => [e.kind, e.paths, e.answer]),
      [['schema-change', [UNNAMED_MIGRATION], true]],
    );
  } finally {
    await w.close();
  }
});
