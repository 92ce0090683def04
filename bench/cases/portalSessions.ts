/**
 * The portal's sessions live in the queue's store (shared by a team's `serve` processes), so
 * every signed-in request reads its session there: signed-in `GET /api/me` requests per second,
 * 10 in flight, on SQLite and on PostgreSQL (last-seen is written at most once a minute, so this
 * is one read per request). Since issue 31 the sign-in limiter's counters live in the store too:
 * the run first fails 5,000 sign-ins under other names (the counters table as an attack leaves it).
 * Goal: no worse than 10 % below the rows before (7,810 /s on SQLite, 5,221 /s on PostgreSQL).
 */
import { Agent, request } from 'node:http';
import { Accounts } from '../../src/portal/accounts';
import { freshDatabase, startPostgres } from '../../test/support/postgres';
import { onPortal } from '../support/portalBench';
import type { BenchCase, BenchRow } from '../types';

const REQUESTS = 2000;
const IN_FLIGHT = 10;
/** The rows as they were before the sign-in counters moved into the store (docs/benchmarks.md, rows 34 and 35). */
const BEFORE = { SQLite: 7810, PostgreSQL: 5221 } as const;

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
    // Counters left by an attack: 5,000 keys (a name each), as the limiter writes them.
    const at = new Date();
    for (let i = 0; i < 5000; i++) await queue.store.countSignInAttempt(`name:guess-${i}`, at, 15 * 60);
    const { cookie } = await call(agent, port, 'POST', '/api/signin', { 'content-type': 'application/json' }, JSON.stringify({ name: 'sam', password: 'bench-password-1' }));
    let next = 0;
    let refused = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
      while (next++ < REQUESTS) if ((await call(agent, port, 'GET', '/api/me', { cookie: cookie ?? '' })).status !== 200) refused++;
    }));
    const value = Math.round(REQUESTS / ((performance.now() - t0) / 1000));
    const before = BEFORE[store];
    return { name: `Portal signed-in requests, sessions and sign-in counters in ${store}`, value, unit: '/s', target: `≥ ${Math.round(before * 0.9)} /s (90 % of ${before})`, pass: value >= before * 0.9 && refused === 0, note: `${REQUESTS} GET /api/me, ${IN_FLIGHT} in flight, each session read from the store, 5,000 sign-in counters in it; ${refused} refused` };
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
