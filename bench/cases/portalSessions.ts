/**
 * The portal's sessions live in the queue's store (shared by a team's `serve` processes), so
 * every signed-in request reads its session there: signed-in `GET /api/me` requests per second,
 * 10 in flight, on SQLite and on PostgreSQL (last-seen is written at most once a minute, so this
 * is one read per request).
 */
import { Agent, request } from 'node:http';
import { Accounts } from '../../src/portal/accounts';
import { freshDatabase, startPostgres } from '../../test/support/postgres';
import { onPortal } from '../support/portalBench';
import type { BenchCase, BenchRow } from '../types';

const REQUESTS = 2000;
const IN_FLIGHT = 10;

function call(agent: Agent, port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; cookie?: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, cookie: res.headers['set-cookie']?.[0]?.split(';')[0] }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function signedInRequests(store: 'SQLite' | 'PostgreSQL', config?: (yaml: string) => string): Promise<BenchRow> {
  return onPortal({ inFlight: IN_FLIGHT, ...(config ? { config } : {}) }, async ({ queue, port, agent }) => {
    await new Accounts(queue.store).put('sam', 'supervisor', 'bench-password-1');
    const { cookie } = await call(agent, port, 'POST', '/api/signin', { 'content-type': 'application/json' }, JSON.stringify({ name: 'sam', password: 'bench-password-1' }));
    let next = 0;
    let refused = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
      while (next++ < REQUESTS) if ((await call(agent, port, 'GET', '/api/me', { cookie: cookie ?? '' })).status !== 200) refused++;
    }));
    const value = Math.round(REQUESTS / ((performance.now() - t0) / 1000));
    return { name: `Portal signed-in requests, sessions in ${store}`, value, unit: '/s', target: '≥ 200 /s', pass: value >= 200 && refused === 0, note: `${REQUESTS} GET /api/me, ${IN_FLIGHT} in flight, each session read from the store; ${refused} refused` };
  });
}

export default {
  title: 'Supervisor portal: sessions in the store',
  order: 93,
  async run(ctx) {
    const rows = [await signedInRequests('SQLite')];
    ctx.log('portal sessions bench: PostgreSQL');
    const pg = await startPostgres();
    try {
      const url = await freshDatabase(pg, 'sessions');
      rows.push(await signedInRequests('PostgreSQL', (yaml) => `${yaml}\nqueue:\n  url: ${url}\n`));
    } finally {
      pg.stop();
    }
    return rows;
  },
} satisfies BenchCase;
