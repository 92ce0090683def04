// Issue 31, point 5, as attacks: one account cannot starve the rest.
// - With its session, an agent account opens 2,000 live-update streams: all but its first 20 get
//   429 naming the per-account limit, and a supervisor's stream still opens and hears changes.
// - With its token, an agent opens 100 MCP sessions at once through the real MCP SDK client:
//   10 open, the rest get 429 naming queue.maxSessionsPerAccount, and a second agent connects and works.
import assert from 'node:assert/strict';
import { request, Agent, type ClientRequest, type IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { MAX_STREAMS_PER_ACCOUNT } from '../../../src/portal/realtime';
import { connect } from '../../support/mcp/mcpKit';
import { portalWorld, type PortalWorld } from '../../support/portal/portalKit';

interface Stream {
  status: number;
  body: () => string;
  req: ClientRequest;
  res: IncomingMessage;
}

/** Opens `/api/events` with a session cookie; resolves on the answer's head (the stream stays open). */
function openStream(world: PortalWorld, cookie: string, agent: Agent): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: world.port,
        path: '/api/events',
        agent,
        headers: { host: `127.0.0.1:${world.port}`, cookie },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('error', () => undefined);
        resolve({ status: res.statusCode ?? 0, body: () => text, req, res });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

test("2,000 live streams from one account: 20 open, the rest get 429 naming the limit; another account's stream opens and hears changes", async () => {
  const world = await portalWorld();
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const streams: Stream[] = [];
  try {
    const bot = await world.signIn('bot');
    for (let batch = 0; batch < 10; batch++) {
      streams.push(...(await Promise.all(Array.from({ length: 200 }, () => openStream(world, bot.cookie, agent)))));
    }
    const open = streams.filter((s) => s.status === 200);
    const refused = streams.filter((s) => s.status === 429);
    assert.equal(open.length, MAX_STREAMS_PER_ACCOUNT);
    assert.equal(refused.length, 2000 - MAX_STREAMS_PER_ACCOUNT);
    await new Promise((r) => setTimeout(r, 50));
    assert.match(refused[0]!.body(), /too many open live connections for bot \(the limit is 20 per account\)/);
    assert.equal(world.portal.realtime.size, MAX_STREAMS_PER_ACCOUNT);

    const sam = await world.signIn('sam');
    const samStream = await openStream(world, sam.cookie, agent);
    streams.push(samStream);
    assert.equal(samStream.status, 200, "the supervisor's stream opens");
    const created = await world.queue.createTask({ title: 'heard live' }, 'cli');
    const deadline = Date.now() + 5000;
    while (!samStream.body().includes(created.id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.ok(samStream.body().includes(created.id), 'and hears the change');

    // Closing one of bot's streams gives it its place back.
    open[0]!.req.destroy();
    await new Promise((r) => setTimeout(r, 100));
    const reopened = await openStream(world, bot.cookie, agent);
    streams.push(reopened);
    assert.equal(reopened.status, 200);
  } finally {
    for (const s of streams) s.req.destroy();
    agent.destroy();
    await world.close();
  }
});

test('100 MCP sessions at once from one agent token (real SDK client): 10 open, the rest get 429 naming the limit; a second agent connects and works', async () => {
  const world = await portalWorld();
  const clients: { close(): Promise<void> }[] = [];
  try {
    await world.accounts.put('bot2', 'agent');
    const greedy = await world.accounts.issueToken('bot');
    const polite = await world.accounts.issueToken('bot2');
    const url = new URL(`http://127.0.0.1:${world.port}/mcp`);
    const session = (token: string) =>
      connect(
        new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
        'agent',
      );
    const attempts = await Promise.allSettled(Array.from({ length: 100 }, () => session(greedy)));
    const opened = attempts.filter((a) => a.status === 'fulfilled');
    const refused = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    clients.push(...opened.map((a) => a.value.client));
    assert.equal(opened.length, 10, 'queue.maxSessionsPerAccount (default 10)');
    assert.equal(refused.length, 90);
    assert.match(
      String(refused[0]!.reason),
      /429|too many open sessions for bot \(the limit is 10 per account, queue\.maxSessionsPerAccount\)/,
    );
    for (const a of opened)
      assert.equal((await a.value.call('list_tasks', {})).isError, undefined, 'the open ones work');

    const second = await session(polite);
    clients.push(second.client);
    assert.equal(
      (await second.call('create_task', { title: 'from the polite agent', description: '' })).isError,
      undefined,
      'another agent is unaffected',
    );

    // A session ended (the client's DELETE) gives its place back.
    await (opened[0]!.value.client.transport as StreamableHTTPClientTransport).terminateSession();
    await opened[0]!.value.client.close();
    await new Promise((r) => setTimeout(r, 100));
    const again = await session(greedy);
    clients.push(again.client);
    assert.equal((await again.call('list_tasks', {})).isError, undefined);
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await world.close();
  }
});
