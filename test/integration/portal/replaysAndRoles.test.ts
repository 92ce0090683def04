// Issue 31, point 4, as attacks: a signed task webhook replayed later under a fresh delivery id
// (its old timestamp with it) is refused, as is one re-signed without the timestamp or with the
// timestamp moved; and an agent account made supervisor and then agent again does not get its
// old MCP token back (on the embedded store and on PostgreSQL), seen from a real MCP SDK client.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHmac } from 'node:crypto';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { signBody, signedHeaders } from '../../../src/portal/webhooks';
import { freshDatabase, usePostgres } from '../../support/postgres';
import { connect } from '../../support/mcp/mcpKit';
import { portalWorld, type PortalWorld } from '../../support/portal/portalKit';

const SECRET = 'whsec-replay-test-secret';
const post = (world: PortalWorld, body: string, headers: Record<string, string>) =>
  world.http('POST', '/webhooks/tasks', { body, headers: { 'content-type': 'application/json', ...headers } });

const pg = usePostgres();

test('a captured delivery replayed with a fresh id and its old timestamp is refused; so are a moved timestamp, a future one and the old body-only signature', async () => {
  const world = await portalWorld({ webhookSecret: SECRET });
  try {
    const body = JSON.stringify({ title: 'Refund order 1042', requester: 'mia@example.com' });
    const captured = signedHeaders(SECRET, body, Date.now() - 6 * 60 * 1000);
    const replay = await post(world, body, { ...captured, 'x-orchestrator-delivery': 'fresh-id-1' });
    assert.equal(replay.status, 403, replay.text);
    assert.match(replay.json.error, /timestamp is 3\d\d s old: more than 300 s is refused/);
    // Moving the timestamp breaks the signature: it is signed with the body.
    const moved = { ...captured, 'x-orchestrator-timestamp': String(Math.floor(Date.now() / 1000)) };
    assert.equal((await post(world, body, { ...moved, 'x-orchestrator-delivery': 'fresh-id-2' })).status, 403);
    // Far ahead is refused too (a sender's clock, or a request prepared for later).
    assert.equal(
      (
        await post(world, body, {
          ...signedHeaders(SECRET, body, Date.now() + 10 * 60 * 1000),
          'x-orchestrator-delivery': 'fresh-id-3',
        })
      ).status,
      403,
    );
    // The old scheme (HMAC of the body alone) is refused: without a timestamp it could be replayed forever.
    const bodyOnly = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    const old = await post(world, body, {
      'x-orchestrator-signature': bodyOnly,
      'x-orchestrator-delivery': 'fresh-id-4',
    });
    assert.equal(old.status, 401);
    assert.match(old.json.error, /x-orchestrator-timestamp/);
    assert.equal(
      (
        await post(world, body, {
          'x-orchestrator-signature': bodyOnly,
          'x-orchestrator-timestamp': 'now',
          'x-orchestrator-delivery': 'fresh-id-5',
        })
      ).status,
      403,
    );
    assert.equal((await world.queue.listTasks()).length, 0, 'nothing stored');

    // Within the window a replay under the same id is stored once; under a fresh id within 5 minutes the sender's own id repeats (documented).
    const fresh = signedHeaders(SECRET, body, Date.now() - 4 * 60 * 1000);
    assert.equal((await post(world, body, { ...fresh, 'x-orchestrator-delivery': 'd-1' })).status, 201);
    assert.equal((await post(world, body, { ...fresh, 'x-orchestrator-delivery': 'd-1' })).status, 200);
    assert.equal((await world.queue.listTasks()).length, 1);
    assert.equal(
      signBody(SECRET, fresh['x-orchestrator-timestamp']!, body),
      fresh['x-orchestrator-signature'],
      'what is signed: "<timestamp>.<body>"',
    );
    const byHand = `sha256=${createHmac('sha256', SECRET).update(`${fresh['x-orchestrator-timestamp']}.${body}`).digest('hex')}`;
    assert.equal(byHand, fresh['x-orchestrator-signature'], "docs/portal.md's recipe");
  } finally {
    await world.close();
  }
});

for (const store of ['embedded', 'postgresql'] as const) {
  test(`${store}: agent → supervisor → agent revokes the MCP token; the old token is refused by MCP and a new one works`, async () => {
    const url = store === 'postgresql' ? await freshDatabase(pg, 'roles') : undefined;
    const world = await portalWorld(url ? { config: (yaml) => `${yaml}\nqueue:\n  url: ${url}\n` } : {});
    const mcpUrl = new URL(`http://127.0.0.1:${world.port}/mcp`);
    const mcp = (token: string) =>
      connect(
        new StreamableHTTPClientTransport(mcpUrl, { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
        'agent-bot',
      );
    try {
      const old = await world.accounts.issueToken('bot');
      const first = await mcp(old);
      assert.equal((await first.call('list_tasks', {})).isError, undefined);
      await first.client.close();

      await world.accounts.put('bot', 'supervisor', 'bot-password-2');
      assert.equal((await world.accounts.get('bot'))!.hasToken, false, 'the token is revoked with the role change');
      await world.accounts.put('bot', 'agent');
      assert.equal((await world.accounts.get('bot'))!.hasToken, false, 'and stays revoked when the role comes back');
      assert.equal(await world.accounts.byToken(old), undefined);
      await assert.rejects(mcp(old), /401|Unauthorized/);

      const renewed = await mcp(await world.accounts.issueToken('bot'));
      assert.equal(
        (await renewed.call('list_tasks', {})).isError,
        undefined,
        'a token issued after the round trip works',
      );
      await renewed.client.close();
      // An account whose role does not change keeps its token (a password change, an email).
      const kept = await world.accounts.issueToken('bot');
      await world.accounts.put('bot', 'agent', undefined, 'bot@example.com');
      assert.ok(await world.accounts.byToken(kept));
    } finally {
      await world.close();
    }
  });
}
