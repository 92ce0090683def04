/**
 * The portal's sessions live in the queue's store (shared by a team's `serve` processes), so
 * every signed-in request reads its session there. Since issue 31 the sign-in limiter's counters
 * live in the store too, and every statement checks that the store's file is still the one opened.
 * Goal: no worse than 10 % below the code before issue 31.
 *
 * Absolute requests per second depend on the machine more than on the code (the same code read
 * 7,810 /s one day and 4,400 /s another), so the rows compare the two codes in one run: the code
 * before issue 31 (git archive of BEFORE_ISSUE_31) and this tree each serve a portal from this
 * process, and batches of signed-in `GET /api/me` alternate between them after a warm-up. The row
 * is the median over batches of this tree's requests per second ÷ the old code's.
 */
import { Agent, request } from 'node:http';
import { resolve } from 'node:path';
import { freshDatabase, startPostgres } from '../../test/support/postgres';
import { median } from '../support/stats';
import { treeAt } from '../support/treeAt';
import type { BenchCase, BenchRow } from '../types';

/** The parent of issue 31's first commit. */
const BEFORE_ISSUE_31 = 'b3bbbc011da46d8ab97734b490371fb8c34303c2';
const BATCH = 500;
const BATCHES = 20;
const WARM_UP_BATCHES = 4;
const IN_FLIGHT = 10;
/** Counters an attack leaves: 5,000 names, as the limiter writes them. */
const COUNTERS = 5000;

function call(
  agent: Agent,
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; cookie?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, agent, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, cookie: res.headers['set-cookie']?.[0]?.split(';')[0] }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface Served {
  port: number;
  agent: Agent;
  cookie: string;
  perSecond: number[];
  refused: number;
  finish(): void;
  closed: Promise<unknown>;
}

/** A portal served by the code in `root` (this tree or the old one), signed in, kept open until `finish`. */
async function serve(root: string, config: ((yaml: string) => string) | undefined): Promise<Served> {
  const { onPortal } = (await import(
    `${root}/bench/support/portalBench.ts`
  )) as typeof import('../support/portalBench');
  const { Accounts } = (await import(`${root}/src/portal/accounts.ts`)) as typeof import('../../src/portal/accounts');
  return new Promise((ready, fail) => {
    let finish!: () => void;
    const finished = new Promise<void>((r) => (finish = r));
    const closed = onPortal({ inFlight: IN_FLIGHT, ...(config ? { config } : {}) }, async ({ queue, port, agent }) => {
      await new Accounts(queue.store).put('sam', 'supervisor', 'bench-password-1');
      // The old code has no counters in its store; this tree's store gets an attack's worth.
      const store = queue.store as Partial<Pick<typeof queue.store, 'countSignInAttempt'>>;
      if (store.countSignInAttempt) {
        const at = new Date();
        for (let i = 0; i < COUNTERS; i++) await store.countSignInAttempt(`name:guess-${i}`, at, 15 * 60);
      }
      const { cookie } = await call(
        agent,
        port,
        'POST',
        '/api/signin',
        { 'content-type': 'application/json' },
        JSON.stringify({ name: 'sam', password: 'bench-password-1' }),
      );
      ready({ port, agent, cookie: cookie ?? '', perSecond: [], refused: 0, finish, closed });
      await finished;
    });
    closed.catch(fail);
  });
}

async function batch(served: Served): Promise<void> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next++ < BATCH)
        if ((await call(served.agent, served.port, 'GET', '/api/me', { cookie: served.cookie })).status !== 200)
          served.refused++;
    }),
  );
  served.perSecond.push(BATCH / ((performance.now() - t0) / 1000));
}

/** `config` per code: each needs its own database (the old code's tables predate issue 31's). */
async function compare(
  store: 'SQLite' | 'PostgreSQL',
  oldRoot: string,
  config?: { before: (yaml: string) => string; now: (yaml: string) => string },
): Promise<BenchRow> {
  const before = await serve(oldRoot, config?.before);
  const now = await serve(resolve(__dirname, '../..'), config?.now);
  try {
    for (let i = 0; i < WARM_UP_BATCHES; i++) for (const s of [before, now]) await batch(s);
    for (const s of [before, now]) s.perSecond = [];
    for (let i = 0; i < BATCHES; i++) for (const s of i % 2 ? [now, before] : [before, now]) await batch(s);
  } finally {
    for (const s of [before, now]) s.finish();
    await Promise.all([before.closed, now.closed]);
  }
  const ratio = median(now.perSecond.map((perSecond, i) => perSecond / before.perSecond[i]!));
  const refused = before.refused + now.refused;
  return {
    name: `Portal signed-in requests, sessions and sign-in counters in ${store}, ÷ the code before issue 31`,
    value: Number(ratio.toFixed(3)),
    unit: '×',
    target: '≥ 0.90× (no worse than 10 % below)',
    pass: ratio >= 0.9 && refused === 0,
    note: `${BATCHES} batches of ${BATCH} GET /api/me each, ${IN_FLIGHT} in flight, alternating between the two codes in one process after ${WARM_UP_BATCHES} warm-up batches; ${COUNTERS.toLocaleString('en')} sign-in counters in this tree's store; median ${Math.round(median(now.perSecond))} /s against ${Math.round(median(before.perSecond))} /s; ${refused} refused`,
  };
}

export default {
  title: 'Supervisor portal: sessions in the store',
  order: 93,
  async run(ctx) {
    const old = treeAt(BEFORE_ISSUE_31, ['src', 'bench', 'examples', 'package.json', 'tsconfig.json']);
    ctx.onCleanup(() => old.dispose());
    const rows = [await compare('SQLite', old.dir)];
    ctx.log('portal sessions bench: PostgreSQL');
    const pg = await startPostgres();
    try {
      const queueAt = (url: string) => (yaml: string) => `${yaml}\nqueue:\n  url: ${url}\n`;
      rows.push(
        await compare('PostgreSQL', old.dir, {
          before: queueAt(await freshDatabase(pg, 'sessions_before')),
          now: queueAt(await freshDatabase(pg, 'sessions_now')),
        }),
      );
    } finally {
      pg.stop();
    }
    return rows;
  },
} satisfies BenchCase;
