// Replies to a WhatsApp requester through Twilio's Messages API (a local Twilio-compatible
// server): the claimer's messages and the decision are delivered; a failing send is retried,
// shown on the task meanwhile, and never lost.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTwilioServer } from '../../support/twilioServer';
import { portalWorld } from '../../support/portal/portalKit';

const SID = 'AC00000000000000000000000000000001';
const TOKEN = 'twilio-token-for-replies';
const FROM = 'whatsapp:+15559990000';
const REQUESTER = 'whatsapp:+15550001111';

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("the claimer's message and the decision reach the requester; a failing send is retried and shown until it goes", async () => {
  const twilio = await startTwilioServer(SID, TOKEN);
  const world = await portalWorld({
    twilio: { accountSid: SID, authToken: TOKEN, from: FROM, baseUrl: twilio.url, retryBaseMs: 200 },
  });
  try {
    const { task } = await world.queue.createDeliveredTask(
      'twilio:SM1',
      { title: 'The cart is empty', requester: REQUESTER },
      'whatsapp',
    );
    await world.queue.claim(task.id, 'claude#1');
    twilio.failNext = 2;
    await world.queue.sendMessage(task.id, 'claude#1', 'Looking at it now.');
    // A message from someone else than the claimer is not sent to the requester.
    await world.queue.sendMessage(task.id, 'sam', 'internal note');
    await until(() => twilio.failed >= 1, 'a first failed attempt');
    await until(
      async () => (await world.queue.detail(task.id)).replies[0]?.lastError !== undefined,
      'the failure is kept on the task',
    );
    assert.match(
      (await world.queue.detail(task.id)).replies[0]!.lastError!,
      /Twilio answered 500: Internal Server Error/,
    );
    // Twilio has it before the store records it sent: wait for the store.
    await until(
      async () => (await world.queue.detail(task.id)).replies[0]?.sentAt !== undefined,
      'the retried reply is delivered',
    );
    assert.deepEqual(twilio.sent, [{ accountSid: SID, to: REQUESTER, from: FROM, body: 'Looking at it now.' }]);
    const reply = (await world.queue.detail(task.id)).replies[0]!;
    assert.equal(reply.attempts, 3);
    assert.ok(reply.sentAt);
    assert.equal(reply.lastError, undefined);

    await world.queue.submitArtifact({ task_id: task.id, type: 'text', content: 'fixed' }, 'claude#1');
    const sam = await world.signIn('sam');
    assert.equal(
      (await world.as(sam, 'POST', `/api/tasks/${task.id}/review`, { verdict: 'approved', comment: 'Thanks!' })).status,
      200,
    );
    await until(() => twilio.sent.length === 2, 'the decision is delivered');
    assert.equal(twilio.sent[1]!.body, 'Done by sam: The cart is empty\nThanks!');
    assert.equal(twilio.sent.filter((m) => m.body.includes('internal note')).length, 0);
  } finally {
    await world.close();
    await twilio.close();
  }
});

test('a send refused for good (wrong credentials) stays owed with its error; nothing is dropped', async () => {
  const twilio = await startTwilioServer(SID, 'the-real-token');
  const world = await portalWorld({
    twilio: { accountSid: SID, authToken: TOKEN, from: FROM, baseUrl: twilio.url, retryBaseMs: 100 },
  });
  try {
    const { task } = await world.queue.createDeliveredTask(
      'twilio:SM9',
      { title: 'Hello', requester: REQUESTER },
      'whatsapp',
    );
    await world.queue.claim(task.id, 'claude#1');
    await world.queue.sendMessage(task.id, 'claude#1', 'On it.');
    await until(
      async () => ((await world.queue.detail(task.id)).replies[0]?.attempts ?? 0) >= 2,
      'two failed attempts recorded',
    );
    assert.ok(twilio.failed >= 2);
    const reply = (await world.queue.detail(task.id)).replies[0]!;
    assert.equal(reply.sentAt, undefined);
    assert.match(reply.lastError!, /Twilio answered 401: Authenticate/);
    assert.ok(reply.attempts >= 2);
  } finally {
    await world.close();
    await twilio.close();
  }
});
