// A pooled run's confirmation (issue 44), end to end on a real PostgreSQL and worker processes: a
// run dispatched without --yes whose database agent writes a migration its spec does not name
// waits on its worker; the worker is killed with kill -9, another resumes the run and asks the
// same question (the one the portal shows, its since unchanged); the answer the portal gives
// (decidePooledConfirmation, what POST /api/gates/confirmations/<runId> calls) completes the run.
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

test("pool: a confirmation waits on its worker, survives the worker killed with kill -9, and the portal's allow completes the run", async () => {
  const w = await poolWorld(migrationAgents({ [NAMED_MIGRATION]: PRODUCT_MIGRATION, [UNNAMED_MIGRATION]: INDEX_SQL }), {
    pg,
  });
  try {
    const doomed = w.worker('one');
    const dispatched = await w.cli([
      'feature',
      'Add a Product entity with name and price',
      '--pool',
      '--approve',
      '--json',
    ]);
    assert.equal(dispatched.code, 0, dispatched.stderr);
    const runId = String(jsonOf(dispatched).runId);
    const asked = async (
      what: string,
      check: (c: PooledConfirmation) => boolean = () => true,
    ): Promise<PooledConfirmation> => {
      for (let i = 0; i < 1200; i++) {
        const found = await w.store.confirmations.of(runId);
        if (found && check(found)) return found;
        await sleep(100);
      }
      throw new Error(`waited two minutes for ${what}; worker said: ${doomed.log()}`);
    };
    const first = await asked('the confirmation');
    assert.deepEqual(
      [first.asked.kind, first.asked.agent, first.asked.paths],
      ['schema-change', 'database', [UNNAMED_MIGRATION]],
    );
    assert.equal((await w.store.get(runId))!.status, 'running', 'the run waits on its worker');
    const databaseCalls = w.callsOf('database').length;
    doomed.child.kill('SIGKILL');
    assert.equal((await doomed.done).signal, 'SIGKILL');

    w.worker('two');
    // The run resumed on the second worker: its database agent proposes the migration again, the same question is asked.
    for (let i = 0; i < 1200 && w.callsOf('database').length === databaseCalls; i++) await sleep(100);
    assert.ok(w.callsOf('database').length > databaseCalls, 'the second worker resumed the run');
    const again = await asked('the same question, asked again', (c) => c.waitedSec > first.waitedSec);
    assert.equal(again.since, first.since, 'the same question, its wait counted from the first asking');
    assert.equal(await w.store.confirmations.of(runId).then((c) => c?.allowed), undefined);

    // As the portal serving the checkout with the pool's address in its environment.
    const before = process.env.ORCHESTRATOR_QUEUE_URL;
    process.env.ORCHESTRATOR_QUEUE_URL = w.url;
    try {
      assert.equal(await decidePooledConfirmation(w.shop.dir, runId, first.since, true, 'sam'), true);
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
    const confirmations = (await w.store.events(runId)).filter(
      (e) => e.type === 'confirmation' && e.covered === undefined,
    );
    assert.deepEqual(
      confirmations.map((e) => [e.kind, e.paths, e.answer]),
      [['schema-change', [UNNAMED_MIGRATION], true]],
    );
  } finally {
    await w.close();
  }
});
