// The portal's people in every queue store (src/core/queue/sqliteAccounts.ts, pgAccounts.ts):
// accounts, sessions, OpenID sign-ins under way and sign-in attempts. Part of storeSuite.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { later, T0, type StoreKit } from './storeKit';

export function accountSuite(name: string, kit: () => StoreKit): void {
  test(`${name}: accounts are created, changed, listed and deleted; an MCP token is found by its hash and revoked`, async () => {
    const store = await kit().fresh();
    try {
      const ada = await store.putAccount({ name: 'ada', role: 'supervisor', passwordHash: 'h1' }, T0);
      assert.deepEqual(ada, {
        name: 'ada',
        role: 'supervisor',
        passwordHash: 'h1',
        hasToken: false,
        createdAt: T0.toISOString(),
      });
      // A role change without a new password keeps the old hash.
      assert.equal((await store.putAccount({ name: 'ada', role: 'admin' }, later(1))).passwordHash, 'h1');
      await store.putAccount({ name: 'bot', role: 'agent' }, later(2));
      assert.deepEqual(
        (await store.listAccounts()).map((a) => `${a.name}:${a.role}`),
        ['ada:admin', 'bot:agent'],
      );
      assert.equal(await store.setAccountToken('bot', 'hash-of-token'), true);
      assert.equal(await store.setAccountToken('nobody', 'x'), false);
      assert.equal((await store.accountByToken('hash-of-token'))?.name, 'bot');
      assert.equal((await store.getAccount('bot'))?.hasToken, true);
      await store.setAccountToken('bot', null);
      assert.equal(await store.accountByToken('hash-of-token'), undefined);
      assert.equal(await store.deleteAccount('bot'), true);
      assert.equal(await store.getAccount('bot'), undefined);
    } finally {
      await store.close();
    }
  });

  test(`${name}: an account's email is set, kept, found and removed, one account per email; sessions are kept by hash, touched, ended per account or when idle, across connections`, async () => {
    const k = kit();
    const store = await k.fresh();
    const other = await k.reopen(store);
    try {
      await store.putAccount({ name: 'sam', role: 'supervisor', email: 'sam@example.com' }, T0);
      assert.equal(
        (await store.putAccount({ name: 'sam', role: 'admin' }, later(1))).email,
        'sam@example.com',
        'kept when not given',
      );
      assert.equal((await other.accountByEmail('sam@example.com'))?.name, 'sam');
      await assert.rejects(
        store.putAccount({ name: 'eve', role: 'supervisor', email: 'sam@example.com' }, later(2)),
        'one account per email',
      );
      assert.equal((await store.putAccount({ name: 'sam', role: 'admin', email: null }, later(3))).email, undefined);
      assert.equal(await store.accountByEmail('sam@example.com'), undefined);

      const session = (idHash: string, name: string, at: Date) => ({
        idHash,
        name,
        role: 'supervisor' as const,
        csrf: `csrf-${idHash}`,
        createdAt: at.toISOString(),
        lastSeen: at.toISOString(),
      });
      await store.addSession(session('h1', 'sam', T0));
      await store.addSession(session('h2', 'sam', T0));
      await store.addSession(session('h3', 'ada', later(100)));
      assert.deepEqual(await other.getSession('h1'), session('h1', 'sam', T0), 'another connection (process) sees it');
      await other.touchSession('h1', later(50));
      assert.equal((await store.getSession('h1'))?.lastSeen, later(50).toISOString());
      await store.deleteIdleSessions(later(10));
      assert.equal(await store.getSession('h2'), undefined, 'idle since before the cutoff');
      assert.ok(await store.getSession('h1'));
      await other.deleteSessionsOf('sam');
      assert.equal(await store.getSession('h1'), undefined, 'ended through another connection');
      assert.ok(await store.getSession('h3'));
      await store.deleteSession('h3');
      assert.equal(await other.getSession('h3'), undefined);
    } finally {
      await other.close();
      await store.close();
    }
  });

  test(`${name}: an OpenID Connect sign-in under way is taken once, by one of two connections; stale ones and the oldest beyond the bound go`, async () => {
    const k = kit();
    const store = await k.fresh();
    const other = await k.reopen(store);
    try {
      const pending = (stateHash: string, at: Date) => ({
        stateHash,
        verifier: `v-${stateHash}`,
        nonce: `n-${stateHash}`,
        browserHash: `b-${stateHash}`,
        createdAt: at.toISOString(),
      });
      await store.addPendingSignIn(pending('s1', T0), later(-600), 3);
      const [mine, theirs] = await Promise.all([store.takePendingSignIn('s1'), other.takePendingSignIn('s1')]);
      assert.deepEqual([mine, theirs].filter(Boolean), [pending('s1', T0)], 'one taker');
      assert.equal(await store.takePendingSignIn('s1'), undefined, 'used once');
      for (const [i, at] of [later(1), later(2), later(3), later(4)].entries())
        await store.addPendingSignIn(pending(`s${i + 2}`, at), later(-600), 3);
      assert.equal(await other.takePendingSignIn('s2'), undefined, 'the oldest beyond 3 went');
      assert.ok(await other.takePendingSignIn('s3'));
      await store.addPendingSignIn(pending('s9', later(700)), later(100), 3);
      assert.equal(await store.takePendingSignIn('s4'), undefined, 'stale: started before the cutoff');
      assert.ok(await store.takePendingSignIn('s9'));
    } finally {
      await other.close();
      await store.close();
    }
  });
}
