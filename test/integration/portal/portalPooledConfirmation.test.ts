// A pooled run's confirmation decided in the portal (issue 44), on a real PostgreSQL: the worker's
// run asks and waits (waitForConfirmation, as runPooled's host does); the Specs page's API lists
// the question to every account; an agent account may not answer; a supervisor's answer naming a
// stale question is refused, the right one reaches the waiting run. Asked again with the same
// question (the run resumed by another worker) it stays the same question; past
// limits.confirmationWaitSec the wait ends with an error that names the limit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConfirmationRequest } from '../../../src/core/host';
import { waitForConfirmation } from '../../../src/pool/poolConfirmations';
import { usePooledPortal } from '../../support/portal/pooledPortal';
import { poolRequest } from '../../support/pool/poolRequest';

const pooled = usePooledPortal('pool_confirm');

const SCHEMA: ConfirmationRequest = {
  kind: 'schema-change',
  agent: 'database',
  paths: ['db/migrations/004_product_index.sql'],
  question: 'The database agent will change the schema: db/migrations/004_product_index.sql. Allow it?',
  waitSec: 3600,
  questionId: 'confirmation-1a2b3c4d-1',
};

async function running(runId: string): Promise<void> {
  await pooled.store.dispatch(poolRequest(runId));
  const claimed = await pooled.store.claim('build-1', [], 60);
  assert.equal(claimed?.runId, runId);
}

test("portal: a pooled run's confirmation is listed, refused to an agent account and to a stale page, and a supervisor's allow reaches the waiting run", async () => {
  const runId = '20261125-080000-0001';
  await running(runId);
  const stop = new AbortController();
  const answered = waitForConfirmation(pooled.store.confirmations, runId, SCHEMA, stop.signal);
  const bot = await pooled.world.signIn('bot');
  const listed = await (async () => {
    for (let i = 0; i < 100; i++) {
      const got = await pooled.world.as(bot, 'GET', '/api/gates/confirmations');
      if (got.json.length > 0) return got;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the confirmation was never listed');
  })();
  assert.equal(listed.status, 200, listed.text);
  const [asked] = listed.json;
  assert.deepEqual(
    [asked.runId, asked.kind, asked.agent, asked.paths, asked.request],
    [runId, 'schema-change', 'database', SCHEMA.paths, 'Product entity'],
  );
  const answer = (who: { cookie: string; csrf: string }, body: unknown) =>
    pooled.world.as(who, 'POST', `/api/gates/confirmations/${runId}`, body);
  assert.equal((await answer(bot, { since: asked.since, allow: true })).status, 403);

  // The run resumed by another worker asks the same question: still the one the page shows.
  assert.equal(
    (
      await pooled.store.confirmations.ask(runId, {
        kind: SCHEMA.kind,
        agent: SCHEMA.agent,
        paths: SCHEMA.paths,
        question: SCHEMA.question,
      })
    ).since,
    asked.since,
  );

  const sam = await pooled.world.signIn('sam');
  const stale = await answer(sam, { since: '2020-01-01T00:00:00.000Z', allow: true });
  assert.equal(stale.status, 409);
  assert.match(stale.json.error, /reload the page/);
  const allowed = await answer(sam, { since: asked.since, allow: true });
  assert.equal(allowed.status, 200, allowed.text);
  assert.deepEqual(allowed.json, { runId, since: asked.since, allow: true, by: 'sam' });
  assert.equal(await answered, true);
  assert.equal(await pooled.store.confirmations.of(runId), undefined, 'the answer taken, the question gone');
  assert.deepEqual((await pooled.world.as(sam, 'GET', '/api/gates/confirmations')).json, []);
  assert.equal((await answer(sam, { since: asked.since, allow: false })).status, 409, 'answered already');
});

test("portal: a supervisor's deny reaches the waiting run as a refusal; an unanswered one ends past limits.confirmationWaitSec", async () => {
  const denied = '20261125-080000-0002';
  await running(denied);
  const waiting = waitForConfirmation(pooled.store.confirmations, denied, SCHEMA, new AbortController().signal);
  const sam = await pooled.world.signIn('sam');
  let asked: { since: string } | undefined;
  for (let i = 0; i < 100 && !asked; i++) {
    asked = (await pooled.world.as(sam, 'GET', '/api/gates/confirmations')).json.find(
      (c: { runId: string }) => c.runId === denied,
    );
    if (!asked) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(
    (await pooled.world.as(sam, 'POST', `/api/gates/confirmations/${denied}`, { since: asked!.since, allow: false }))
      .status,
    200,
  );
  assert.equal(await waiting, false);

  const unanswered = '20261125-080000-0003';
  await running(unanswered);
  await assert.rejects(
    waitForConfirmation(
      pooled.store.confirmations,
      unanswered,
      { ...SCHEMA, waitSec: 1 },
      new AbortController().signal,
    ),
    /no answer to the confirmation in the portal within 1 s \(limits\.confirmationWaitSec\)/,
  );
  assert.equal(await pooled.store.confirmations.of(unanswered), undefined);
});
