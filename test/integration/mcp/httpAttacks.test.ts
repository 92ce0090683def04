// The HTTP transport as a web page or a DNS-rebinding attacker reaches it: forged Host and
// Origin headers (with the right token: a page could have it from a leaked file), `Origin: null`
// from a sandboxed frame, and sessions left open or opened without end.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildCli } from '../../support/cli/cliKit';
import { makeShop } from '../../support/engine/shopWorkspace';
import { httpWorld, TOKEN } from '../../support/mcp/mcpKit';

before(() => buildCli());

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
const HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  authorization: `Bearer ${TOKEN}`,
};

test('mcp over http: a foreign Host gets 421, a foreign Origin or Origin: null gets 403, before the token is even looked at; its own origin is served', async () => {
  const shop = makeShop();
  const world = await httpWorld(shop);
  try {
    const { port } = new URL(world.url);
    // fetch() will not forge Host; node:http will.
    const { request } = await import('node:http');
    const send = (headers: Record<string, string>) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port: Number(port), path: '/mcp', method: 'POST', headers: { ...HEADERS, ...headers } },
          (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode!, body }));
          },
        );
        req.on('error', reject);
        req.end(INITIALIZE);
      });
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1:${Number(port) + 1}`,
      `localhost.evil.example:${port}`,
      '127.0.0.1',
    ]) {
      const answer = await send({ host });
      assert.equal(answer.status, 421, `Host: ${host} → ${answer.body}`);
    }
    assert.equal(
      (await send({ host: 'evil.example', authorization: 'Bearer wrong' })).status,
      421,
      'checked before the token',
    );
    for (const origin of [
      'http://evil.example',
      `http://evil.example:${port}`,
      'null',
      `https://127.0.0.1:${port}`,
      `http://127.0.0.1:${Number(port) + 1}`,
    ]) {
      const answer = await send({ host: `127.0.0.1:${port}`, origin });
      assert.equal(answer.status, 403, `Origin: ${origin} → ${answer.body}`);
    }
    for (const [host, origin] of [
      [`127.0.0.1:${port}`, `http://127.0.0.1:${port}`],
      [`localhost:${port}`, `http://localhost:${port}`],
      [`127.0.0.1:${port}`, undefined],
    ] as const) {
      const answer = await send({ host, ...(origin ? { origin } : {}) });
      assert.equal(answer.status, 200, `Host ${host}, Origin ${origin ?? '(none)'} → ${answer.body}`);
    }
  } finally {
    await world.close();
    shop.cleanup();
  }
});

test('mcp over http: sessions past queue.maxSessions are refused with the limit named, and an idle session expires after queue.sessionIdleMin', async () => {
  const shop = makeShop({ config: (yaml) => `${yaml}\nqueue:\n  sessionIdleMin: 0.02\n  maxSessions: 2\n` });
  const world = await httpWorld(shop);
  try {
    const open = async () => {
      const res = await fetch(world.url, { method: 'POST', headers: HEADERS, body: INITIALIZE });
      await res.text();
      return { status: res.status, session: res.headers.get('mcp-session-id') };
    };
    const first = await open();
    const second = await open();
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    const third = await fetch(world.url, { method: 'POST', headers: HEADERS, body: INITIALIZE });
    assert.equal(third.status, 503);
    assert.match(await third.text(), /too many open sessions \(the limit is 2, queue\.maxSessions\)/);

    const list = (session: string) =>
      fetch(world.url, {
        method: 'POST',
        headers: { ...HEADERS, 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
      });
    // Idle limit 1.2 s: the first session is kept busy, the second left alone.
    for (let i = 0; i < 8; i++) {
      const kept = await list(first.session!);
      assert.equal(kept.status, 200, `a session in use stays open (${i})`);
      await kept.text();
      await sleep(400);
    }
    const expired = await list(second.session!);
    assert.equal(expired.status, 404, 'the idle session expired');
    assert.match(await expired.text(), /unknown, expired|expired session/);
    assert.equal((await open()).status, 200, 'its place is free again');
  } finally {
    await world.close();
    shop.cleanup();
  }
});
