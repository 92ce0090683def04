// Deciding through the portal: who may, what lands, who is recorded, and live events; agents'
// own MCP tokens on /mcp (claims under the account's name, revocable at once).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { DECISIONS_FILE } from '../../../src/core/queue/queueFiles';
import { connect } from '../../support/mcp/mcpKit';
import { PRODUCT_MODULE } from '../../support/engine/fixtures';
import { inPortal } from '../../support/portal/portalKit';

const TARGET = 'server/entities/product.js';

test('a supervisor approves an artifact shown as a diff: it lands, validates, and the decision names the supervisor; an agent gets 403', async () => {
  await inPortal({}, async (world) => {
    const task = await world.queue.createTask({ title: 'Product entity' }, 'cli');
    await world.queue.claim(task.id, 'claude#1');
    const artifact = await world.queue.submitArtifact(
      { task_id: task.id, type: 'code', path: TARGET, content: PRODUCT_MODULE },
      'claude#1',
    );
    const bot = await world.signIn('bot');
    const view = await world.as(bot, 'GET', `/api/tasks/${task.id}`);
    assert.equal(view.status, 200, 'an agent may read');
    assert.equal(view.json.preview.artifactId, artifact.id);
    assert.match(view.json.preview.diff, /\+\+\+ b\/server\/entities\/product\.js/);
    const refused = await world.as(bot, 'POST', `/api/tasks/${task.id}/review`, {
      verdict: 'approved',
      artifactId: artifact.id,
    });
    assert.equal(refused.status, 403);
    assert.match(refused.json.error, /bot's role is agent: only admin or supervisor/);
    assert.equal((await world.queue.detail(task.id)).status, 'review_pending');

    const sam = await world.signIn('sam');
    const approved = await world.as(sam, 'POST', `/api/tasks/${task.id}/review`, {
      verdict: 'approved',
      artifactId: artifact.id,
      comment: 'looks right',
    });
    assert.equal(approved.status, 200, approved.text);
    assert.deepEqual(approved.json.files, [TARGET]);
    assert.equal(world.shop.read(TARGET), PRODUCT_MODULE);
    const detail = await world.queue.detail(task.id);
    assert.equal(detail.status, 'done');
    assert.equal(detail.artifacts[0]!.decision?.by, 'sam');
    const log = readFileSync(join(world.shop.dir, DECISIONS_FILE), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      log.map((l) => [l.by, l.verdict, l.comment]),
      [['sam', 'approved', 'looks right']],
    );
    // Deciding again: nothing awaits review any more (400), nothing changes.
    assert.equal((await world.as(sam, 'POST', `/api/tasks/${task.id}/review`, { verdict: 'rejected' })).status, 400);
  });
});

test('messages from the portal carry the account as author; a rejection goes back to the claimer with the comment', async () => {
  await inPortal({}, async (world) => {
    const task = await world.queue.createTask({ title: 'Notes' }, 'cli');
    await world.queue.claim(task.id, 'claude#1');
    await world.queue.submitArtifact({ task_id: task.id, type: 'text', content: 'plan' }, 'claude#1');
    const ada = await world.signIn('ada');
    assert.equal((await world.as(ada, 'POST', `/api/tasks/${task.id}/messages`, { text: 'one question' })).status, 201);
    assert.equal(
      (await world.as(ada, 'POST', `/api/tasks/${task.id}/review`, { verdict: 'rejected', comment: 'more detail' }))
        .status,
      200,
    );
    const detail = await world.queue.detail(task.id);
    assert.deepEqual(
      detail.messages.map((m) => [m.author, m.text]),
      [
        ['ada', 'one question'],
        ['ada', 'Rejected: more detail'],
      ],
    );
    assert.equal(detail.status, 'in_progress');
  });
});

test("live: a signed-in page's event stream gets each change (a claim, a new task), pushed, not polled; no session, no stream", async () => {
  await inPortal({}, async (world) => {
    const sam = await world.signIn('sam');
    assert.equal((await world.http('GET', '/api/events')).status, 401);
    const events: string[] = [];
    const stream = request({
      host: '127.0.0.1',
      port: world.port,
      path: '/api/events',
      headers: { host: `127.0.0.1:${world.port}`, cookie: sam.cookie },
    });
    const opened = new Promise<void>((resolve) =>
      stream.on('response', (res) => {
        assert.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8');
        res.on('data', (chunk: Buffer) => events.push(chunk.toString('utf8')));
        resolve();
      }),
    );
    stream.end();
    await opened;
    const task = await world.queue.createTask({ title: 'watched' }, 'cli');
    await world.queue.claim(task.id, 'claude#1');
    const deadline = Date.now() + 5000;
    while (!events.join('').includes('"kind":"claim"') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const frames = events
      .join('')
      .split('\n\n')
      .filter((f) => f.startsWith('event: change'));
    assert.deepEqual(
      frames.map((f) => JSON.parse(f.split('data: ')[1]!)),
      [
        { taskId: task.id, kind: 'task' },
        { taskId: task.id, kind: 'claim' },
      ],
    );
    stream.destroy();
  });
});

test("MCP on /mcp: an agent account's own token claims under its name; revoked, it is refused at once; the shared token works on loopback", async () => {
  const shared = 'shared-token-0123456789abcdef0123456789abcdef';
  await inPortal({ sharedToken: shared }, async (world) => {
    const token = await world.accounts.issueToken('bot');
    assert.match(token, /^orch_[A-Za-z0-9_-]{43}$/);
    assert.notEqual((await world.queue.store.getAccount('bot'))?.passwordHash, token, 'never stored as is');
    const task = await world.queue.createTask({ title: 'for the bot' }, 'cli');
    const url = new URL(`http://127.0.0.1:${world.port}/mcp`);
    const agent = await connect(
      new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
      'some-client',
    );
    const claimed = await agent.call('claim_ticket', { task_id: task.id });
    assert.match(claimed.value.claimer, /^bot#[0-9a-f]{8}$/);
    await agent.client.close();

    await world.accounts.revokeToken('bot');
    const refused = await world.http('POST', '/mcp', {
      body: '{}',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    assert.equal(refused.status, 401);
    assert.equal(
      (await world.http('POST', '/mcp', { body: '{}', headers: { 'content-type': 'application/json' } })).status,
      401,
    );
    const local = await connect(
      new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${shared}` } } }),
      'local-tool',
    );
    assert.equal((await local.call('list_tasks', {})).value.tasks.length, 1);
    await local.client.close();
  });
});
