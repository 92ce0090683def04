// Issue 44 item 2 on the pool (real PostgreSQL, a worker process): `approve <Spec Kit folder> --pool`
// without --yes takes the model's placement of the tasks naming no file and runs to completion, no
// question waiting in the portal; a folder nothing can place ends with the one sentence naming the
// tasks and the layers as the run's reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCli, jsonOf } from '../../support/cli/cliKit';
import { usePostgres } from '../../support/postgres';
import { say } from '../../support/engine/agentScript';
import { addTrips, placedNowhere, TRIPS, tripAgents } from '../../support/engine/tripInvitations';
import { poolWorld } from '../../support/pool/poolKit';

const pg = usePostgres(buildCli);

test("pool: approve <Spec Kit folder> --pool without --yes takes the model's placement, asks nothing in the portal and completes; tasks.assigned in the mirrored journal", async () => {
  const w = await poolWorld(tripAgents(), { pg });
  try {
    addTrips(w.shop.dir);
    const worker = w.worker('one');
    const dispatched = await w.cli(['approve', TRIPS, '--pool', '--json']);
    assert.equal(dispatched.code, 0, dispatched.stderr);
    const runId = String(jsonOf(dispatched).runId);
    const [done] = await w.waitFor('the run ended', (runs) =>
      ['completed', 'stopped', 'failed'].includes(runs[0]?.status ?? ''),
    );
    assert.equal(done!.status, 'completed', `${done!.reason} ${worker.log()}`);
    assert.equal(await w.store.confirmations.of(runId), undefined, 'no question was asked in the portal');
    const events = await w.store.events(runId);
    const assigned = events.find((e) => e.type === 'tasks.assigned')!;
    assert.ok(
      (assigned.tasks as { task: string; source: string }[]).some((t) => t.task === 'T020' && t.source === 'model'),
      JSON.stringify(assigned),
    );
    assert.equal(w.callsOf('layers').length, 1);
  } finally {
    await w.close();
  }
});

test('pool: a folder whose tasks nothing can place ends with the one sentence naming the tasks and the layers as its reason; no layer ran', async () => {
  const w = await poolWorld({ layers: () => say.layers(placedNowhere()) }, { pg });
  try {
    addTrips(w.shop.dir);
    w.worker('one');
    const dispatched = await w.cli(['approve', TRIPS, '--pool', '--yes', '--json']);
    assert.equal(dispatched.code, 0, dispatched.stderr);
    const [done] = await w.waitFor('the run ended', (runs) =>
      ['completed', 'stopped', 'failed'].includes(runs[0]?.status ?? ''),
    );
    assert.notEqual(done!.status, 'completed');
    assert.match(
      done!.reason ?? '',
      /tasks T020, T021 name no file and no layer could be told for them, the model found no layer owning anything like them \(layers: database owns db\/\*\*; backend owns server\/\*\*; frontend owns web\/\*\*\)/,
    );
    assert.deepEqual(
      w.calls.map((c) => c.agent),
      ['layers'],
      'no layer ran',
    );
  } finally {
    await w.close();
  }
});
