// A pooled run's confirmation decided in the portal (issues 44, 72), on a real PostgreSQL: the
// worker's run asks and is set aside (as runPooled does: the question in the table, the run at
// awaiting-approval, holding no worker); the Specs page's API lists the question to every account;
// an agent account may not answer; a supervisor's answer naming a stale question is refused, the
// right one queues the run again with it (flags.answer, which a worker continues through
// engine.answerQuestion). Asked again with the same question it stays the same question; answered
// while its worker was still setting the run aside, the run is queued once it is; past
// limits.confirmationWaitSec unanswered, the run is stopped naming the limit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PooledAsk } from '../../../src/pool/poolConfirmations';
import { usePooledPortal } from '../../support/portal/pooledPortal';
import { poolRequest } from '../../support/pool/poolRequest';

const pooled = usePooledPortal('pool_confirm');

const SCHEMA: PooledAsk = {
  kind: 'schema-change',
  agent: 'database',
  paths: ['db/migrations/004_product_index.sql'],
  question: 'The database agent will change the schema: db/migrations/004_product_index.sql. Allow it?',
  waitSec: 3600,
  questionId: 'confirmation-1a2b3c4d-1',
};

/** A run claimed by a worker, asking `asked`; set aside on it unless `aside` is false. */
async function asking(runId: string, asked: PooledAsk = SCHEMA, aside = true): Promise<void> {
  await pooled.store.dispatch(poolRequest(runId));
  assert.equal((await pooled.store.claim('build-1', [], 60))?.runId, runId);
  await pooled.store.confirmations.ask(runId, asked);
  if (aside) await setAside(runId);
}

/** What the worker does once the engine set the run aside on its question (runPooled.ts). */
async function setAside(runId: string): Promise<void> {
  assert.equal(await pooled.store.finish(runId, 'build-1', { status: 'awaiting-approval' }), true);
  await pooled.store.confirmations.continueAnswered(runId);
}

test("portal: a pooled run's confirmation is listed, refused to an agent account and to a stale page, and a supervisor's allow queues the run with the answer", async () => {
  const runId = '20261125-080000-0001';
  await asking(runId);
  assert.equal((await pooled.store.get(runId))!.status, 'awaiting-approval', 'set aside, holding no worker');
  const bot = await pooled.world.signIn('bot');
  const listed = await pooled.world.as(bot, 'GET', '/api/gates/confirmations');
  assert.equal(listed.status, 200, listed.text);
  const [asked] = listed.json;
  assert.deepEqual(
    [asked.runId, asked.kind, asked.agent, asked.paths, asked.request],
    [runId, 'schema-change', 'database', SCHEMA.paths, 'Product entity'],
  );
  const answer = (who: { cookie: string; csrf: string }, body: unknown) =>
    pooled.world.as(who, 'POST', `/api/gates/confirmations/${runId}`, body);
  assert.equal((await answer(bot, { since: asked.since, allow: true })).status, 403);

  // Asked again by a run resumed after its worker was killed (a new asking of the same question): still the one the page shows.
  await sleep(20);
  const again = await pooled.store.confirmations.ask(runId, { ...SCHEMA, questionId: 'confirmation-1a2b3c4d-2' });
  assert.equal(again.since, asked.since);

  const sam = await pooled.world.signIn('sam');
  const stale = await answer(sam, { since: '2020-01-01T00:00:00.000Z', allow: true });
  assert.equal(stale.status, 409);
  assert.match(stale.json.error, /reload the page/);
  const allowed = await answer(sam, { since: asked.since, allow: true });
  assert.equal(allowed.status, 200, allowed.text);
  assert.deepEqual(allowed.json, { runId, since: asked.since, allow: true, by: 'sam' });
  const queued = (await pooled.store.get(runId))!;
  assert.equal(queued.status, 'queued', 'queued again for any worker');
  assert.deepEqual(queued.flags.answer, { questionId: 'confirmation-1a2b3c4d-2', answer: 'yes', by: 'sam' });
  assert.equal(await pooled.store.confirmations.of(runId), undefined, 'the answer taken, the question gone');
  assert.deepEqual((await pooled.world.as(sam, 'GET', '/api/gates/confirmations')).json, []);
  assert.equal((await answer(sam, { since: asked.since, allow: false })).status, 409, 'answered already');
  await pooled.store.cancel(runId, 'the test is over'); // no worker here takes it: the next test claims its own
});

test('portal: a deny given while the worker still sets the run aside queues it once it is; an unanswered one stops its run past limits.confirmationWaitSec', async () => {
  const denied = '20261125-080000-0002';
  await asking(denied, SCHEMA, false);
  const sam = await pooled.world.signIn('sam');
  const asked = (await pooled.world.as(sam, 'GET', '/api/gates/confirmations')).json.find(
    (c: { runId: string }) => c.runId === denied,
  );
  assert.equal(
    (await pooled.world.as(sam, 'POST', `/api/gates/confirmations/${denied}`, { since: asked.since, allow: false }))
      .status,
    200,
  );
  assert.equal((await pooled.store.get(denied))!.status, 'running', 'its worker holds it still');
  await setAside(denied);
  const queued = (await pooled.store.get(denied))!;
  assert.equal(queued.status, 'queued');
  assert.deepEqual(queued.flags.answer, { questionId: SCHEMA.questionId, answer: 'no', by: 'sam' });
  await pooled.store.cancel(denied, 'checked');

  const unanswered = '20261125-080000-0003';
  await asking(unanswered, { ...SCHEMA, waitSec: 1 });
  assert.deepEqual(await pooled.store.confirmations.expire(), [], 'not yet');
  await sleep(1100);
  const reason = 'no answer to the confirmation in the portal within 1 s (limits.confirmationWaitSec)';
  assert.deepEqual(await pooled.store.confirmations.expire(), [{ runId: unanswered, reason }]);
  const stopped = (await pooled.store.get(unanswered))!;
  assert.deepEqual([stopped.status, stopped.reason], ['stopped', reason]);
  assert.equal(await pooled.store.confirmations.of(unanswered), undefined);
  assert.deepEqual(await pooled.store.confirmations.expire(), [], 'once');
});
