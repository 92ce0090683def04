/**
 * The supervisor portal (issue 21). Change-to-screen: 200 signed-in pages hold the live event
 * stream open; a task is created through the queue service 50 times, and each time we wait for
 * every one of the 200 streams to receive it (the slowest of the 200 is that change's figure):
 * the p95 over the 50. Across two `serve` processes on one PostgreSQL database (a team): a task
 * created 50 times through process A's portal API, each timed until a page's event stream on
 * process B receives it (A's NOTIFY, B's LISTEN, B's stream): the p95. Webhook ingestion: signed
 * `POST /webhooks/tasks` deliveries, 10 in flight, each checked (HMAC) and stored once:
 * deliveries per second, on SQLite and on PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request, Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engine } from '../../src/core/engine';
import type { QueueService } from '../../src/core/queue/queueService';
import { Accounts } from '../../src/portal/accounts';
import { MAX_STREAMS_PER_ACCOUNT } from '../../src/portal/realtime';
import { startPortal, type Portal } from '../../src/portal/server';
import { signedHeaders } from '../../src/portal/webhooks';
import { freshDatabase, startPostgres } from '../../test/support/postgres';
import { portalEvents, portalSignIn, startServe, type LiveChange } from '../../test/support/serveProcess';
import { onPortal } from '../support/portalBench';
import { makeShop } from '../support/shop';
import { median, ms } from '../support/stats';
import type { BenchCase, BenchRow } from '../types';

const STREAMS = 200;
const CHANGES = 50;
const DELIVERIES = 500;
const IN_FLIGHT = 10;
const SECRET = 'bench-webhook-secret';

async function portalOn(queue: QueueService): Promise<{ portal: Portal; port: number }> {
  const portal = await startPortal(queue, {
    port: 0,
    host: '127.0.0.1',
    webhookSecret: SECRET,
    assetsDir: '/nonexistent',
    version: 'bench',
  });
  return { portal, port: (portal.server.address() as { port: number }).port };
}

function post(
  agent: Agent,
  port: number,
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        agent,
        headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.95) - 1]!;

async function changeToScreen(): Promise<BenchRow> {
  const shop = makeShop();
  const queue = await engine.openQueue(shop.dir, { trusted: true });
  const { portal, port } = await portalOn(queue);
  const agent = new Agent({ keepAlive: true, maxSockets: STREAMS + 10 });
  try {
    // 200 streams from 10 supervisors: an account may hold 20 (src/portal/realtime.ts).
    const sessions: string[] = [];
    for (let i = 0; i < STREAMS / MAX_STREAMS_PER_ACCOUNT; i++) {
      await new Accounts(queue.store).put(`sam${i}`, 'supervisor', 'bench-password-1');
      sessions.push(
        await new Promise<string>((resolve, reject) => {
          const req = request(
            {
              host: '127.0.0.1',
              port,
              method: 'POST',
              path: '/api/signin',
              headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/json' },
            },
            (res) => {
              res.resume();
              resolve(String(([] as string[]).concat(res.headers['set-cookie'] ?? [])[0]).split(';')[0]!);
            },
          );
          req.on('error', reject);
          req.end(JSON.stringify({ name: `sam${i}`, password: 'bench-password-1' }));
        }),
      );
    }
    // 200 open streams, each noting when it hears of each task.
    const heard: Map<string, number>[] = [];
    await Promise.all(
      Array.from(
        { length: STREAMS },
        (_, n) =>
          new Promise<void>((resolve, reject) => {
            const session = sessions[n % sessions.length]!;
            const seen = new Map<string, number>();
            heard.push(seen);
            const req = request(
              {
                host: '127.0.0.1',
                port,
                path: '/api/events',
                agent,
                headers: { host: `127.0.0.1:${port}`, cookie: session },
              },
              (res) => {
                res.on('data', (chunk: Buffer) => {
                  const at = performance.now();
                  for (const match of chunk.toString().matchAll(/"taskId":"(t-[0-9a-f]+)"/g)) seen.set(match[1]!, at);
                });
                resolve();
              },
            );
            req.on('error', reject);
            req.end();
          }),
      ),
    );
    const latencies: number[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const t0 = performance.now();
      const task = await queue.createTask({ title: `change ${i}` }, 'bench');
      while (heard.some((seen) => !seen.has(task.id))) await new Promise((r) => setImmediate(r));
      latencies.push(Math.max(...heard.map((seen) => seen.get(task.id)!)) - t0);
    }
    const value = Math.round(p95(latencies) * 10) / 10;
    return {
      name: `Portal change-to-screen p95, ${STREAMS} open live connections`,
      value,
      unit: 'ms',
      target: '≤ 1000 ms',
      pass: value <= 1000,
      note: `${CHANGES} task creations on SQLite; each figure is the slowest of the ${STREAMS} event streams to receive it (SSE)`,
    };
  } finally {
    agent.destroy();
    await portal.close();
    await queue.close();
    shop.cleanup();
  }
}

async function teamChangeToScreen(url: string): Promise<BenchRow> {
  const shop = makeShop({ config: (yaml) => `${yaml}\nqueue:\n  url: ${url}\n` });
  const queue = await engine.openQueue(shop.dir, { trusted: true });
  // The shared MCP token `serve` keeps in the user's config folder: a throwaway one.
  const config = mkdtempSync(join(tmpdir(), 'orch-bench-serve-'));
  const servers = await Promise.all([
    startServe(shop.dir, { XDG_CONFIG_HOME: config }),
    startServe(shop.dir, { XDG_CONFIG_HOME: config }),
  ]);
  try {
    const [a, b] = servers;
    await new Accounts(queue.store).put('sam', 'supervisor', 'bench-password-1');
    const samA = await portalSignIn(a.port, 'sam', 'bench-password-1');
    const pageB = await portalEvents(b.port, (await portalSignIn(b.port, 'sam', 'bench-password-1')).cookie);
    try {
      const latencies: number[] = [];
      for (let i = 0; i < CHANGES; i++) {
        const t0 = performance.now();
        const created = await samA.send('POST', '/api/tasks', { title: `team change ${i}` });
        if (created.status !== 201) throw new Error(`creating a task through A: ${created.status}`);
        let heard: LiveChange | undefined;
        while (!(heard = pageB.changes.find((c) => c.taskId === created.json.id)))
          await new Promise((r) => setImmediate(r));
        latencies.push(heard.at - t0);
      }
      const value = Math.round(p95(latencies) * 10) / 10;
      return {
        name: 'Portal change-to-screen p95, across two serve processes on PostgreSQL',
        value,
        unit: 'ms',
        target: '≤ 1000 ms',
        pass: value <= 1000,
        note: `${CHANGES} tasks created through process A's portal API, each timed until the event stream of a page on process B receives it (NOTIFY/LISTEN, then SSE); median ${ms(median(latencies))}`,
      };
    } finally {
      pageB.close();
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await queue.close();
    shop.cleanup();
    rmSync(config, { recursive: true, force: true });
  }
}

async function ingestion(store: 'SQLite' | 'PostgreSQL', config?: (yaml: string) => string): Promise<BenchRow> {
  return onPortal(
    { inFlight: IN_FLIGHT, webhookSecret: SECRET, ...(config ? { config } : {}) },
    async ({ queue, port, agent }) => {
      let next = 0;
      let failed = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (next < DELIVERIES) {
            const i = next++;
            const body = JSON.stringify({
              title: `form task ${i}`,
              description: 'from the bench',
              requester: `user${i}@example.com`,
            });
            const reply = await post(agent, port, '/webhooks/tasks', body, {
              ...signedHeaders(SECRET, body),
              'x-orchestrator-delivery': `bench-${i}`,
            });
            if (reply.status !== 201) failed++;
          }
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      const stored = (await queue.listTasks()).length;
      const value = Math.round(DELIVERIES / seconds);
      return {
        name: `Webhook ingestion, ${store}`,
        value,
        unit: '/s',
        target: '≥ 100 /s',
        pass: value >= 100 && failed === 0 && stored === DELIVERIES,
        note: `${DELIVERIES} signed deliveries, ${IN_FLIGHT} in flight; ${stored} stored, ${failed} refused`,
      };
    },
  );
}

export default {
  title: 'Supervisor portal: live updates and webhook ingestion',
  order: 92,
  async run(ctx) {
    const rows = [await changeToScreen(), await ingestion('SQLite')];
    ctx.log('portal bench: two serve processes on PostgreSQL, and PostgreSQL ingestion');
    const pg = await startPostgres();
    try {
      rows.splice(1, 0, await teamChangeToScreen(await freshDatabase(pg, 'portal_team')));
      const url = await freshDatabase(pg, 'portal');
      rows.push(await ingestion('PostgreSQL', (yaml) => `${yaml}\nqueue:\n  url: ${url}\n`));
    } finally {
      pg.stop();
    }
    return rows;
  },
} satisfies BenchCase;
