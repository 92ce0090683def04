/**
 * Large queues (issue 31): the portal's `/api/tasks` first page with 100,000 tasks in the queue
 * (each with a 2,000-character description), signed in, one request at a time: p95 of 200
 * requests, on SQLite and on PostgreSQL. A page is 100 tasks with previews and the counts per
 * status (a GROUP BY over the whole queue), so this is the cost of the list the page opens on.
 */
import { Agent, request } from 'node:http';
import { queueDbPath } from '../../src/core/queue/openStore';
import { Accounts } from '../../src/portal/accounts';
import { freshDatabase, startPostgres } from '../../test/support/postgres';
import { onPortal } from '../support/portalBench';
import type { BenchCase, BenchRow } from '../types';

const TASKS = 100_000;
const REQUESTS = 200;

const SEED_SQLITE = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${TASKS})
  INSERT INTO tasks (id, title, description, source, status, created_at, updated_at)
  SELECT 't-' || substr('0000000000' || i, -10), 'Task number ' || i, substr(replace(hex(zeroblob(1000)), '00', 'xy'), 1, 2000),
    CASE WHEN i % 5 = 0 THEN 'form' ELSE 'cli' END, CASE WHEN i % 7 = 0 THEN 'review_pending' WHEN i % 3 = 0 THEN 'done' ELSE 'pending' END,
    strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || i || ' seconds'), '2026-11-23T08:00:00.000Z' FROM n`;
const SEED_PG = `INSERT INTO tasks (id, title, description, source, status, created_at, updated_at)
  SELECT 't-' || lpad(i::text, 10, '0'), 'Task number ' || i, repeat('xy', 1000),
    CASE WHEN i % 5 = 0 THEN 'form' ELSE 'cli' END, CASE WHEN i % 7 = 0 THEN 'review_pending' WHEN i % 3 = 0 THEN 'done' ELSE 'pending' END,
    to_char(timestamp '2026-01-01' + i * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '2026-11-23T08:00:00.000Z' FROM generate_series(1, ${TASKS}) AS i`;

function get(
  agent: Agent,
  port: number,
  path: string,
  headers: Record<string, string>,
  body?: string,
  method = 'GET',
): Promise<{ status: number; bytes: number; cookie?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, agent, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, bytes, cookie: res.headers['set-cookie']?.[0]?.split(';')[0] }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function firstPage(store: 'SQLite' | 'PostgreSQL', url?: string): Promise<BenchRow> {
  return onPortal(
    { inFlight: 1, ...(url ? { config: (yaml: string) => `${yaml}\nqueue:\n  url: ${url}\n` } : {}) },
    async ({ workspace, queue, port, agent }) => {
      if (url) {
        const { Client } = await import('pg');
        const client = new Client({ connectionString: url });
        await client.connect();
        await client.query(SEED_PG);
        await client.query('ANALYZE tasks');
        await client.end();
      } else {
        const { DatabaseSync } = await import('node:sqlite');
        // The portal's own store (the shop's data folder), seeded through a second connection.
        const db = new DatabaseSync(queueDbPath(workspace), { timeout: 10_000 });
        db.exec(SEED_SQLITE);
        db.exec('ANALYZE');
        db.close();
      }
      await new Accounts(queue.store).put('sam', 'supervisor', 'bench-password-1');
      const { cookie } = await get(
        agent,
        port,
        '/api/signin',
        { 'content-type': 'application/json' },
        JSON.stringify({ name: 'sam', password: 'bench-password-1' }),
        'POST',
      );
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < REQUESTS; i++) {
        const t0 = performance.now();
        const reply = await get(agent, port, '/api/tasks', { cookie: cookie ?? '' });
        times.push(performance.now() - t0);
        if (reply.status !== 200) throw new Error(`/api/tasks answered ${reply.status}`);
        bytes = reply.bytes;
      }
      times.sort((a, b) => a - b);
      const value = Math.round(times[Math.ceil(REQUESTS * 0.95) - 1]! * 10) / 10;
      return {
        name: `Portal /api/tasks first page p95, 100,000 tasks in ${store}`,
        value,
        unit: 'ms',
        target: '≤ 50 ms',
        pass: value <= 50,
        note: `${REQUESTS} signed-in requests one at a time; each page ${Math.round(bytes / 1024)} kB (100 tasks, previews, counts per status)`,
      };
    },
  );
}

export default {
  title: 'Supervisor portal: large queues',
  order: 94,
  async run(ctx) {
    const rows = [await firstPage('SQLite')];
    ctx.log('task pages bench: PostgreSQL');
    const pg = await startPostgres();
    try {
      rows.push(await firstPage('PostgreSQL', await freshDatabase(pg, 'pages')));
    } finally {
      pg.stop();
    }
    return rows;
  },
} satisfies BenchCase;
