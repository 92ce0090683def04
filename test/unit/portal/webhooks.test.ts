// POST /webhooks/tasks: HMAC-SHA256 over the timestamp and the raw body, delivery ids stored once, bounded bodies.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signedHeaders } from '../../../src/portal/webhooks';
import { inPortal, portalWorld } from '../../support/portal/portalKit';

const SECRET = 'whsec-test-secret';
const post = (world: Awaited<ReturnType<typeof portalWorld>>, body: string, headers: Record<string, string>) =>
  world.http('POST', '/webhooks/tasks', { body, headers: { 'content-type': 'application/json', ...headers } });

test('a signed delivery creates a task with its source and requester; its redelivery is stored once', async () => {
  await inPortal({ webhookSecret: SECRET }, async (world) => {
    const body = JSON.stringify({
      title: 'The footer overlaps',
      description: 'on mobile',
      requester: 'mia@example.com',
      source: 'web_chat',
    });
    const first = await post(world, body, { ...signedHeaders(SECRET, body), 'x-orchestrator-delivery': 'del-1' });
    assert.equal(first.status, 201, first.text);
    const again = await post(world, body, { ...signedHeaders(SECRET, body), 'x-orchestrator-delivery': 'del-1' });
    assert.equal(again.status, 200);
    assert.deepEqual(again.json, { id: first.json.id, status: 'pending', duplicate: true });
    const tasks = await world.queue.listTasks();
    assert.deepEqual(
      tasks.map((t) => [t.title, t.source, t.requester]),
      [['The footer overlaps', 'web_chat', 'mia@example.com']],
    );
    // The default source is the form.
    const form = JSON.stringify({ title: 'Second', requester: 'leo@example.com' });
    assert.equal(
      (await post(world, form, { ...signedHeaders(SECRET, form), 'x-orchestrator-delivery': 'del-2' })).status,
      201,
    );
    assert.equal((await world.queue.listTasks())[1]!.source, 'form');
  });
});

test('unsigned (401), forged or signed for another body (403), oversized (413), no delivery id (400), an invalid task (400): nothing stored', async () => {
  await inPortal({ webhookSecret: SECRET }, async (world) => {
    const body = JSON.stringify({ title: 'x', requester: 'mia@example.com' });
    assert.equal((await post(world, body, { 'x-orchestrator-delivery': 'd' })).status, 401);
    assert.equal(
      (await post(world, body, { ...signedHeaders('another-secret', body), 'x-orchestrator-delivery': 'd' })).status,
      403,
    );
    const other = JSON.stringify({ title: 'y', requester: 'mia@example.com' });
    assert.equal(
      (await post(world, body, { ...signedHeaders(SECRET, other), 'x-orchestrator-delivery': 'd' })).status,
      403,
    );
    assert.equal(
      (
        await post(world, body, {
          ...signedHeaders(SECRET, body),
          'x-orchestrator-signature': 'sha256=zz',
          'x-orchestrator-delivery': 'd',
        })
      ).status,
      403,
    );
    const huge = JSON.stringify({ title: 'big', requester: 'm', description: 'x'.repeat(200_000) });
    assert.equal(
      (await post(world, huge, { ...signedHeaders(SECRET, huge), 'x-orchestrator-delivery': 'd' })).status,
      413,
    );
    assert.equal((await post(world, body, { ...signedHeaders(SECRET, body) })).status, 400);
    const bad = JSON.stringify({ title: '', requester: 'm' });
    const refused = await post(world, bad, { ...signedHeaders(SECRET, bad), 'x-orchestrator-delivery': 'd' });
    assert.equal(refused.status, 400);
    assert.match(refused.json.error, /title is empty/);
    assert.equal((await world.queue.listTasks()).length, 0);
  });
});

test('without ORCHESTRATOR_WEBHOOK_SECRET the endpoint takes nothing (503)', async () => {
  await inPortal({}, async (world) => {
    const body = JSON.stringify({ title: 'x', requester: 'm' });
    const reply = await post(world, body, { ...signedHeaders('', body), 'x-orchestrator-delivery': 'd' });
    assert.equal(reply.status, 503);
    assert.match(reply.json.error, /ORCHESTRATOR_WEBHOOK_SECRET/);
    assert.equal((await world.queue.listTasks()).length, 0);
  });
});
