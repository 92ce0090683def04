// The sign-in limiter, as attacks (issue 31, point 3), on the embedded store and on PostgreSQL:
// - on its own clock: 5 attempts per name or address within 15 minutes, then locked until the
//   window passes; a success forgets the name and gives the address its attempt back;
// - 40 sign-ins sent at once (wrong passwords, the right one among the last): at most 5 passwords
//   are compared (counted where bcrypt is called), and the right one is refused once the limit is hit;
// - the lock holds across a restart of the portal, and across two portals on one queue.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { engine } from '../../../src/core/engine';
import { SqliteQueueStore } from '../../../src/core/queue/sqliteStore';
import { PgQueueStore } from '../../../src/core/queue/pgStore';
import type { QueueStore } from '../../../src/core/queue/types';
import { passwordComparisons } from '../../../src/portal/credentials';
import { MAX_FAILURES, SignInLimiter } from '../../../src/portal/rateLimit';
import { startPortal } from '../../../src/portal/server';
import { freshDatabase, startPostgres, type Postgres } from '../../support/postgres';
import { portalWorld, PASSWORDS } from '../../support/portal/portalKit';

let pg: Postgres;
const scratch = mkdtempSync(join(tmpdir(), 'orch-limiter-'));
before(async () => {
  pg = await startPostgres();
});
after(() => {
  pg?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const STORES = {
  embedded: async () => new SqliteQueueStore(join(mkdtempSync(join(scratch, 'db-')), 'queue.db')),
  postgresql: async () => new PgQueueStore(await freshDatabase(pg, 'limiter')),
} satisfies Record<string, () => Promise<QueueStore>>;

for (const [kind, make] of Object.entries(STORES)) {
  test(`${kind}: 5 attempts lock the name and the address until the window passes; a success forgets the name and refunds the address`, async () => {
    const store = await make();
    await store.open();
    try {
      let now = Date.parse('2026-11-23T10:00:00Z');
      const limiter = new SignInLimiter(store, () => now);
      const keys = ['name:sam', 'addr:10.0.0.1'];
      for (let i = 0; i < MAX_FAILURES; i++)
        assert.equal(await limiter.attempt(keys), 0, `attempt ${i + 1} may be checked`);
      assert.equal(await limiter.retryAfter(['name:sam']), 15 * 60, 'the whole window from the first attempt');
      assert.equal(await limiter.attempt(keys), 15 * 60, 'the sixth is refused before any check');
      assert.ok(
        (await limiter.retryAfter(['name:other', 'addr:10.0.0.1'])) > 0,
        'the address is locked for every name',
      );
      now += 15 * 60 * 1000;
      assert.equal(await limiter.retryAfter(keys), 0, 'the window passed');
      assert.equal(await limiter.attempt(keys), 0, 'a new window starts at 1');
      for (let i = 0; i < MAX_FAILURES - 2; i++) await limiter.attempt(keys);
      // The fifth attempt succeeds: the name is forgotten, the address gets this attempt back (4 left counted).
      await limiter.attempt(keys);
      await limiter.succeeded('name:sam', ['addr:10.0.0.1']);
      assert.equal(await limiter.retryAfter(['name:sam']), 0);
      assert.equal(await limiter.retryAfter(['addr:10.0.0.1']), 0, 'a success does not push the address over');
      assert.deepEqual(
        (await store.signInAttempts(['addr:10.0.0.1'])).map((c) => c.count),
        [MAX_FAILURES - 1],
      );
    } finally {
      await store.close();
    }
  });

  test(`${kind}: 40 parallel sign-ins compare at most 5 passwords; the right one is refused once the limit is hit; the lock survives a restart and holds on a second portal`, async () => {
    const url = kind === 'postgresql' ? await freshDatabase(pg, 'signins') : undefined;
    const world = await portalWorld(url ? { config: (yaml) => `${yaml}\nqueue:\n  url: ${url}\n` } : {});
    // A second portal on the same queue (another `serve` process of a team, or the same file): one limiter between them.
    const otherQueue = await engine.openQueue(world.shop.dir, { trusted: true });
    const other = await startPortal(otherQueue, {
      port: 0,
      host: '127.0.0.1',
      assetsDir: join(__dirname, '../../../dist/portal'),
      version: 'test',
    });
    const otherPort = (other.server.address() as { port: number }).port;
    try {
      const signIn = (port: number, password: string) =>
        fetch(`http://127.0.0.1:${port}/api/signin`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'sam', password }),
        });
      const before = passwordComparisons.count;
      const replies = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          signIn(i % 2 ? otherPort : world.port, i === 39 ? PASSWORDS.sam : `guess-${i}`),
        ),
      );
      const statuses = replies.map((r) => r.status);
      const compared = passwordComparisons.count - before;
      assert.ok(compared <= MAX_FAILURES, `${compared} passwords were compared`);
      assert.equal(statuses.filter((s) => s === 401).length, compared, 'every compared guess failed');
      assert.equal(statuses.filter((s) => s === 429).length, 40 - compared);
      assert.equal(statuses[39], 429, 'the right password, sent after the limit was hit, is refused unread');
      assert.ok(Number(replies[39]!.headers.get('retry-after')) > 14 * 60);

      // A restart of the portal (and the store) keeps the count.
      await world.portal.close();
      await world.queue.close();
      const restarted = await engine.openQueue(world.shop.dir, { trusted: true });
      const again = await startPortal(restarted, {
        port: 0,
        host: '127.0.0.1',
        assetsDir: join(__dirname, '../../../dist/portal'),
        version: 'test',
      });
      try {
        const port = (again.server.address() as { port: number }).port;
        const right = await signIn(port, PASSWORDS.sam);
        assert.equal(right.status, 429, 'still locked after the restart');
        assert.equal((await signIn(otherPort, PASSWORDS.sam)).status, 429, 'and on the other portal');
        assert.equal(passwordComparisons.count - before, compared, 'nothing more was compared');
        // Another account from the same address waits too: the address is over its limit.
        const ada = await fetch(`http://127.0.0.1:${port}/api/signin`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'ada', password: PASSWORDS.ada }),
        });
        assert.equal(ada.status, 429, 'the address is over its limit too');
      } finally {
        await again.close();
        await restarted.close();
      }
    } finally {
      await other.close();
      await otherQueue.close();
      world.shop.cleanup();
    }
  });
}
