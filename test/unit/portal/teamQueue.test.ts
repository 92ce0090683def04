// A team's queue on PostgreSQL: two `orchestrator serve` processes on one database behave as one.
// A session made through one is good on the other (and signed out on both at once); a change made
// through one reaches the other's live page (LISTEN/NOTIFY); 20 agents claiming through both get
// exactly one winner per task.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { openQueue } from '../../../src/core/engine';
import { Accounts } from '../../../src/portal/accounts';
import { freshDatabase, startPostgres, type Postgres } from '../../support/postgres';
import { buildCli, type CliRun } from '../cli/cliKit';
import { connect } from '../mcp/mcpKit';
import { makeShop, type ShopWorkspace } from '../pipeline/support/shopWorkspace';
import { serveProcess } from './portalKit';

let pg: Postgres;
const config = mkdtempSync(join(tmpdir(), 'orch-serve-cfg-'));
before(async () => {
  buildCli();
  pg = await startPostgres();
});
after(() => {
  pg?.stop();
  rmSync(config, { recursive: true, force: true });
});

const serve = (shop: ShopWorkspace) => serveProcess(shop.dir, { XDG_CONFIG_HOME: config });

function call(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, unknown>; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function signIn(port: number): Promise<{ cookie: string; csrf: string }> {
  const reply = await call(port, 'POST', '/api/signin', { 'content-type': 'application/json' }, JSON.stringify({ name: 'sam', password: 'sam-password-1' }));
  assert.equal(reply.status, 200);
  return { cookie: String(([] as string[]).concat(reply.headers['set-cookie'] as string[])[0]).split(';')[0]!, csrf: String(reply.json.csrf) };
}

/** The `change` events a signed-in page on `port` receives. */
async function listen(port: number, cookie: string): Promise<{ events: { taskId: string; kind: string }[]; close(): void }> {
  const events: { taskId: string; kind: string }[] = [];
  let buffer = '';
  const req = request({ host: '127.0.0.1', port, path: '/api/events', headers: { host: `127.0.0.1:${port}`, cookie } });
  await new Promise<void>((resolve) => req.on('response', (res) => {
    res.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const frames = buffer.split('\n\n');
      buffer = frames.pop()!;
      for (const frame of frames) if (frame.startsWith('event: change')) events.push(JSON.parse(frame.split('data: ')[1]!) as { taskId: string; kind: string });
    });
    resolve();
  }).end());
  return { events, close: () => req.destroy() };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('two serve processes on one PostgreSQL queue: one session for both; a change through one reaches the other\'s page; 20 agents through both, one winner per task', async () => {
  const url = await freshDatabase(pg, 'team');
  const shop = makeShop({ config: (yaml) => `${yaml}\nqueue:\n  url: ${url}\n` });
  const queue = await openQueue(shop.dir, { trusted: true });
  const servers: CliRun[] = [];
  try {
    const accounts = new Accounts(queue.store);
    await accounts.put('sam', 'supervisor', 'sam-password-1');
    await accounts.put('bot', 'agent');
    const token = await accounts.issueToken('bot');
    const [a, b] = await Promise.all([serve(shop), serve(shop)]);
    servers.push(a.run, b.run);
    const [samA, samB] = await Promise.all([signIn(a.port), signIn(b.port)]);
    const pageB = await listen(b.port, samB.cookie);

    // One sign-in for both (sessions are in the database): A's cookie works on B, CSRF token and all.
    const meOnB = await call(b.port, 'GET', '/api/me', { cookie: samA.cookie });
    assert.equal(meOnB.status, 200);
    assert.deepEqual([meOnB.json.name, meOnB.json.csrf], ['sam', samA.csrf]);

    const created = await call(a.port, 'POST', '/api/tasks', { cookie: samA.cookie, 'x-csrf-token': samA.csrf, 'content-type': 'application/json' }, JSON.stringify({ title: 'Made through A' }));
    assert.equal(created.status, 201);
    await until(() => pageB.events.some((e) => e.taskId === created.json.id && e.kind === 'task'), 'B\'s page hears of the task made through A');

    // A decision through A reaches B's page too.
    await queue.claim(String(created.json.id), 'claude#1');
    await queue.submitArtifact({ task_id: created.json.id, type: 'text', content: 'done' }, 'claude#1');
    assert.equal((await call(a.port, 'POST', `/api/tasks/${String(created.json.id)}/review`, { cookie: samA.cookie, 'x-csrf-token': samA.csrf, 'content-type': 'application/json' }, JSON.stringify({ verdict: 'approved' }))).status, 200);
    await until(() => pageB.events.some((e) => e.taskId === created.json.id && e.kind === 'decision'), 'B\'s page hears of the decision made through A');
    pageB.close();

    // Signed out through B, the session is gone on A too.
    assert.equal((await call(b.port, 'POST', '/api/signout', { cookie: samA.cookie, 'x-csrf-token': samA.csrf })).status, 200);
    assert.equal((await call(a.port, 'GET', '/api/me', { cookie: samA.cookie })).status, 401);

    // 20 agent sessions, half through each server, all claiming each of 5 tasks at once.
    const tasks = await Promise.all(Array.from({ length: 5 }, (_, i) => queue.createTask({ title: `contended ${i}` }, 'cli')));
    const agents = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${i % 2 ? b.port : a.port}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }), `agent-${i}`)));
    try {
      for (const task of tasks) {
        const results = await Promise.all(agents.map((agent) => agent.call('claim_ticket', { task_id: task.id })));
        const winners = results.filter((r) => !r.isError);
        assert.equal(winners.length, 1, results.map((r) => r.text).join('\n'));
        assert.match(winners[0]!.value.claimer, /^bot#/);
        assert.equal((await queue.detail(task.id)).claimer, winners[0]!.value.claimer);
      }
    } finally {
      await Promise.all(agents.map((agent) => agent.client.close().catch(() => undefined)));
    }
  } finally {
    for (const run of servers) run.child.kill('SIGTERM');
    await Promise.all(servers.map((run) => run.done));
    await queue.close();
    shop.cleanup();
  }
});
