// Issue 44 item 2 on the pool (real PostgreSQL, a worker process): `approve <Spec Kit folder> --pool`
// without --yes takes the model's placement of the tasks naming no file and runs to completion, no
// question waiting in the portal; a folder nothing can place ends with the one sentence naming the
// tasks and the layers as the run's reason.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildCli, jsonOf } from '../../support/cli/cliKit';
import { startPostgres, type Postgres } from '../../support/postgres';
import { say, writesThenDone } from '../../support/engine/agentScript';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN } from '../../support/engine/fixtures';
import { poolWorld } from '../../support/pool/poolKit';

const TRIPS = 'specs/004-trip-invitations';
const FIXTURE = resolve(__dirname, '../../fixtures/specs/speckit/004-trip-invitations');

let pg: Postgres;
before(async () => {
  buildCli();
  pg = await startPostgres();
});
after(() => pg?.stop());

test('pool: approve <Spec Kit folder> --pool without --yes takes the model\'s placement, asks nothing in the portal and completes; tasks.assigned in the mirrored journal', async () => {
  const w = await poolWorld({
    layers: () => say.layers([
      { task: 'T020', layer: 'backend', reason: 'the invitation queries live in the server' },
      { task: 'T021', layer: 'not-implementable', reason: 'a newsletter to people, not code' },
    ]),
    database: writesThenDone({ 'db/migrations/003_create_invitation.sql': PRODUCT_MIGRATION }),
    backend: writesThenDone({ 'server/entities/invitation.js': PRODUCT_MODULE }),
    frontend: writesThenDone({ 'web/src/tripList.js': PRODUCT_SCREEN }),
    review: () => say.approve(),
  }, { pg });
  try {
    cpSync(FIXTURE, join(w.shop.dir, TRIPS), { recursive: true });
    const worker = w.worker('one');
    const dispatched = await w.cli(['approve', TRIPS, '--pool', '--json']);
    assert.equal(dispatched.code, 0, dispatched.stderr);
    const runId = String(jsonOf(dispatched).runId);
    const [done] = await w.waitFor('the run ended', (runs) => ['completed', 'stopped', 'failed'].includes(runs[0]?.status ?? ''));
    assert.equal(done!.status, 'completed', `${done!.reason} ${worker.log()}`);
    assert.equal(await w.store.confirmations.of(runId), undefined, 'no question was asked in the portal');
    const events = await w.store.events(runId);
    const assigned = events.find((e) => e.type === 'tasks.assigned')!;
    assert.ok((assigned.tasks as { task: string; source: string }[]).some((t) => t.task === 'T020' && t.source === 'model'), JSON.stringify(assigned));
    assert.equal(w.callsOf('layers').length, 1);
  } finally {
    await w.close();
  }
});

test('pool: a folder whose tasks nothing can place ends with the one sentence naming the tasks and the layers as its reason; no layer ran', async () => {
  const w = await poolWorld({
    layers: () => say.layers([
      { task: 'T020', layer: 'none', reason: 'nothing here tunes queries' },
      { task: 'T021', layer: 'none', reason: 'no layer sends newsletters' },
    ]),
  }, { pg });
  try {
    cpSync(FIXTURE, join(w.shop.dir, TRIPS), { recursive: true });
    w.worker('one');
    const dispatched = await w.cli(['approve', TRIPS, '--pool', '--yes', '--json']);
    assert.equal(dispatched.code, 0, dispatched.stderr);
    const [done] = await w.waitFor('the run ended', (runs) => ['completed', 'stopped', 'failed'].includes(runs[0]?.status ?? ''));
    assert.notEqual(done!.status, 'completed');
    assert.match(done!.reason ?? '', /tasks T020, T021 name no file and no layer could be told for them, the model found no layer owning anything like them \(layers: database owns db\/\*\*; backend owns server\/\*\*; frontend owns web\/\*\*\)/);
    assert.deepEqual(w.calls.map((c) => c.agent), ['layers'], 'no layer ran');
  } finally {
    await w.close();
  }
});
