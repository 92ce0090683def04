// A team's queue on PostgreSQL: two `orchestrator serve` processes on one database behave as one.
// A session made through one is good on the other (and signed out on both at once); a change made
// through one reaches the other's live page (LISTEN/NOTIFY); 20 agents claiming through both get
// exactly one winner per task.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { engine } from '../../../src/core/engine';
import { Accounts } from '../../../src/portal/accounts';
import { freshDatabase, startPostgres, type Postgres } from '../../support/postgres';
import { portalCall, portalEvents, portalSignIn, startServe, type ServeProcess } from '../../support/serveProcess';
import { buildCli } from '../../support/cli/cliKit';
import { connect } from '../../support/mcp/mcpKit';
import { makeShop } from '../../support/engine/shopWorkspace';

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

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test("two serve processes on one PostgreSQL queue: one session for both; a change through one reaches the other's page; 20 agents through both, one winner per task", async () => {
  const url = await freshDatabase(pg, 'team');
  const shop = makeShop({ config: (yaml) => `${yaml}\nqueue:\n  url: ${url}\n` });
  const queue = await engine.openQueue(shop.dir, { trusted: true });
  const servers: ServeProcess[] = [];
  try {
    const accounts = new Accounts(queue.store);
    await accounts.put('sam', 'supervisor', 'sam-password-1');
    await accounts.put('bot', 'agent');
    const token = await accounts.issueToken('bot');
    const [a, b] = await Promise.all([
      startServe(shop.dir, { XDG_CONFIG_HOME: config }),
      startServe(shop.dir, { XDG_CONFIG_HOME: config }),
    ]);
    servers.push(a, b);
    const [samA, samB] = await Promise.all([
      portalSignIn(a.port, 'sam', 'sam-password-1'),
      portalSignIn(b.port, 'sam', 'sam-password-1'),
    ]);
    const pageB = await portalEvents(b.port, samB.cookie);

    // One sign-in for both (sessions are in the database): A's cookie works on B, CSRF token and all.
    const meOnB = await portalCall(b.port, 'GET', '/api/me', { cookie: samA.cookie });
    assert.equal(meOnB.status, 200);
    assert.deepEqual([meOnB.json.name, meOnB.json.csrf], ['sam', samA.csrf]);

    const created = await samA.send('POST', '/api/tasks', { title: 'Made through A' });
    assert.equal(created.status, 201);
    await until(
      () => pageB.changes.some((e) => e.taskId === created.json.id && e.kind === 'task'),
      "B's page hears of the task made through A",
    );

    // A decision through A reaches B's page too.
    await queue.claim(String(created.json.id), 'claude#1');
    await queue.submitArtifact({ task_id: created.json.id, type: 'text', content: 'done' }, 'claude#1');
    assert.equal(
      (await samA.send('POST', `/api/tasks/${String(created.json.id)}/review`, { verdict: 'approved' })).status,
      200,
    );
    await until(
      () => pageB.changes.some((e) => e.taskId === created.json.id && e.kind === 'decision'),
      "B's page hears of the decision made through A",
    );
    pageB.close();

    // Signed out through B, the session is gone on A too.
    assert.equal(
      (await portalCall(b.port, 'POST', '/api/signout', { cookie: samA.cookie, 'x-csrf-token': samA.csrf })).status,
      200,
    );
    assert.equal((await portalCall(a.port, 'GET', '/api/me', { cookie: samA.cookie })).status, 401);

    // 20 agent sessions, half through each server, all claiming each of 5 tasks at once.
    const tasks = await Promise.all(
      Array.from({ length: 5 }, (_, i) => queue.createTask({ title: `contended ${i}` }, 'cli')),
    );
    const agents = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        connect(
          new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${i % 2 ? b.port : a.port}/mcp`), {
            requestInit: { headers: { authorization: `Bearer ${token}` } },
          }),
          `agent-${i}`,
        ),
      ),
    );
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
    await Promise.all(servers.map((server) => server.stop()));
    await queue.close();
    shop.cleanup();
  }
});
