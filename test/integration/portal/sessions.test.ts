// The portal's sessions live in the queue's store: a `serve` restart signs nobody out; only the
// SHA-256 of a session id is stored; an idle session (8 h) is refused and cleaned up; last-seen is
// written at most once a minute; ending an account's sessions reaches every process on the queue.
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { before, test } from 'node:test';
import { engine } from '../../../src/core/engine';
import { queueDbPath } from '../../../src/core/queue/openStore';
import { Accounts } from '../../../src/portal/accounts';
import { sessionIdHash, Sessions, SESSION_IDLE_MS } from '../../../src/portal/sessions';
import { startServe, type ServeProcess } from '../../support/serveProcess';
import { buildCli } from '../../support/cli/cliKit';
import { makeShop } from '../../support/engine/shopWorkspace';

before(() => buildCli());

const requestWith = (cookie: string) => ({ headers: { cookie } }) as unknown as IncomingMessage;
const idOf = (setCookie: string) => /orch_session=([^;]+)/.exec(setCookie)![1]!;

const call = async (port: number, path: string, init: RequestInit = {}) => {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, init);
  return {
    status: res.status,
    setCookie: res.headers.getSetCookie().join('\n'),
    json: (await res.json()) as Record<string, unknown>,
  };
};

test('a session survives a serve restart on the SQLite queue, and the file holds only its hash', async () => {
  const shop = makeShop();
  const queue = await engine.openQueue(shop.dir, { trusted: true });
  await new Accounts(queue.store).put('sam', 'supervisor', 'sam-password-1');
  await queue.close();
  let first: ServeProcess | undefined;
  let second: ServeProcess | undefined;
  try {
    const a = await startServe(shop.dir);
    first = a;
    const signIn = await call(a.port, '/api/signin', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'sam', password: 'sam-password-1' }),
    });
    assert.equal(signIn.status, 200);
    const id = idOf(signIn.setCookie);
    await first.stop();

    const file = queueDbPath(shop.dir);
    const bytes = [file, `${file}-wal`]
      .filter(existsSync)
      .map((f) => readFileSync(f).toString('latin1'))
      .join('');
    assert.ok(!bytes.includes(id), 'the raw session id is not in the queue file');
    assert.ok(bytes.includes(sessionIdHash(id)), 'its SHA-256 is');

    const b = await startServe(shop.dir);
    second = b;
    const me = await call(b.port, '/api/me', { headers: { cookie: `orch_session=${id}` } });
    assert.equal(me.status, 200);
    assert.equal(me.json.name, 'sam');
    assert.equal(me.json.csrf, signIn.json.csrf, 'the same session, CSRF token and all');
  } finally {
    await Promise.all([first?.stop(), second?.stop()]);
    shop.cleanup();
  }
});

test('an idle session is refused after 8 hours and cleaned up; last-seen is written at most once a minute', async () => {
  const shop = makeShop();
  const queue = await engine.openQueue(shop.dir, { trusted: true });
  let now = Date.parse('2026-11-23T08:00:00.000Z');
  const sessions = new Sessions(queue.store, false, () => now);
  try {
    const { session, cookie } = await sessions.start('sam', 'supervisor');
    const req = requestWith(`orch_session=${idOf(cookie)}`);
    assert.equal(session.idHash, sessionIdHash(idOf(cookie)));

    now += 30_000;
    assert.equal((await sessions.of(req))?.name, 'sam');
    assert.equal(
      (await queue.store.getSession(session.idHash))?.lastSeen,
      '2026-11-23T08:00:00.000Z',
      'not written within the minute',
    );
    now += 40_000;
    await sessions.of(req);
    assert.equal(
      (await queue.store.getSession(session.idHash))?.lastSeen,
      '2026-11-23T08:01:10.000Z',
      'written after a minute',
    );

    now += SESSION_IDLE_MS - 1000;
    assert.ok(await sessions.of(req), 'just inside 8 hours idle');
    now += SESSION_IDLE_MS + 1000;
    assert.equal(await sessions.of(req), undefined, 'idle beyond 8 hours');
    assert.equal(await queue.store.getSession(session.idHash), undefined, 'and its row is gone');

    // Idle rows nobody asks for again go at the next sign-in.
    const forgotten = await sessions.start('ada', 'admin');
    now += SESSION_IDLE_MS + 1000;
    await sessions.start('sam', 'supervisor');
    assert.equal(await queue.store.getSession(forgotten.session.idHash), undefined);
    assert.equal(await sessions.of(requestWith('orch_session=not-a-session')), undefined);
  } finally {
    await queue.close();
    shop.cleanup();
  }
});

test("a changed role or password, a revoked token or a deleted account ends the account's sessions in every process on the queue", async () => {
  const shop = makeShop();
  const mine = await engine.openQueue(shop.dir, { trusted: true });
  const theirs = await engine.openQueue(shop.dir, { trusted: true });
  try {
    const accounts = new Accounts(mine.store);
    await accounts.put('sam', 'supervisor', 'sam-password-1');
    await accounts.put('bot', 'agent');
    const here = new Sessions(mine.store, false);
    const there = new Sessions(theirs.store, false);
    const changes: [string, () => Promise<unknown>][] = [
      ['an email added', () => accounts.put('sam', 'supervisor', undefined, 'sam@example.com')],
      ['the role changed', () => accounts.put('sam', 'admin')],
      ['the password changed', () => accounts.put('sam', 'admin', 'another-password-2')],
      ['the token revoked', () => accounts.revokeToken('bot')],
      ['the account deleted', () => accounts.remove('sam')],
    ];
    for (const [what, change] of changes) {
      const name = what === 'the token revoked' ? 'bot' : 'sam';
      const { cookie } = await there.start(name, name === 'bot' ? 'agent' : 'supervisor');
      const req = requestWith(`orch_session=${idOf(cookie)}`);
      await change();
      const left = await there.of(req);
      if (what === 'an email added') assert.ok(left, 'an email alone takes no right away');
      else assert.equal(left, undefined, `${what}: the other process refuses the session`);
      assert.equal((await here.of(req))?.name, left?.name, `${what}: this process agrees`);
    }
  } finally {
    await theirs.close();
    await mine.close();
    shop.cleanup();
  }
});
