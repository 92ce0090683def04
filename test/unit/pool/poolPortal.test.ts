// Pooled specs in the portal: a pooled run waiting at the gate is listed on the Specs page of a
// `serve` on the same PostgreSQL; a supervisor's approval queues it again for any free worker
// (no model call in the portal); an agent account cannot approve it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PoolStore } from '../../../src/pool/poolStore';
import { freshDatabase, startPostgres, type Postgres } from '../../support/postgres';
import { portalWorld } from '../portal/portalKit';

let pg: Postgres;
before(async () => {
  pg = await startPostgres();
});
after(() => pg?.stop());

test('portal: a pooled spec at the gate is listed with its run; a supervisor approves it for the pool, an agent cannot', async () => {
  const url = await freshDatabase(pg, 'poolportal');
  const store = await PoolStore.open(url);
  const world = await portalWorld({ config: (yaml) => `${yaml}\nqueue:\n  url: ${url}\n` });
  try {
    const runId = '20261123-110000-beef';
    await store.dispatch({
      runId, kind: 'feature', request: 'Add an Address entity to the API', remote: 'team/shop', baseCommit: 'a'.repeat(40),
      changesRef: `refs/orchestrator/base/${runId}`, changesCommit: 'b'.repeat(40), flags: { yes: true }, labels: [], requestedBy: 'lee',
    });
    await store.claim('busy/1', [], 60);
    const specId = '2026-11-23-address-api';
    await store.finish(runId, 'busy/1', { status: 'awaiting-approval', specId, spec: { path: `spec/active/${specId}/spec.md`, markdown: '---\ntitle: Address API\n---\n## Spec: Address API\n' } });

    const bot = await world.signIn('bot');
    const listed = await world.as(bot, 'GET', '/api/specs');
    assert.equal(listed.status, 200, listed.text);
    const shown = listed.json.find((s: { id: string }) => s.id === specId);
    assert.deepEqual([shown.title, shown.status, shown.pool.runId], ['Address API', 'awaiting-approval', runId]);
    assert.match(shown.markdown, /## Spec: Address API/);
    assert.equal((await world.as(bot, 'POST', `/api/specs/${specId}/decision`, { action: 'approve' })).status, 403);

    const sam = await world.signIn('sam');
    assert.equal((await world.as(sam, 'POST', `/api/specs/${specId}/decision`, { action: 'save' })).status, 400, 'only approval goes to the pool');
    const approved = await world.as(sam, 'POST', `/api/specs/${specId}/decision`, { action: 'approve' });
    assert.equal(approved.status, 200, approved.text);
    assert.deepEqual([approved.json.by, approved.json.pool.runId], ['sam', runId]);
    const queued = await store.get(runId);
    assert.deepEqual([queued!.status, queued!.flags.approve, queued!.flags.yes], ['queued', true, true], 'queued again with --approve; the dispatch flags travel on');
    assert.equal((await world.as(sam, 'POST', `/api/specs/${specId}/decision`, { action: 'approve' })).status, 404, 'no longer waiting');
    assert.equal((await world.as(sam, 'GET', '/api/specs')).json.some((s: { id: string }) => s.id === specId), false);
    // Any free worker takes it next.
    assert.equal((await store.claim('free/2', [], 60))?.runId, runId);
  } finally {
    await world.close();
    await store.close();
  }
});
