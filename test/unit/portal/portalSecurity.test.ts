// The portal's doors: Host and Origin on every request, sessions in httpOnly SameSite cookies,
// CSRF tokens on every change, rate-limited sign-in, the strict CSP, bounded bodies.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inPortal, PASSWORDS } from '../../support/portal/portalKit';

test('sign-in: a wrong password is 401; the right one sets an httpOnly SameSite=Strict session cookie; sign-out ends it', async () => {
  await inPortal({}, async (world) => {
    const wrong = await world.http('POST', '/api/signin', {
      body: JSON.stringify({ name: 'ada', password: 'nope-nope' }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers['set-cookie'], undefined);
    const right = await world.http('POST', '/api/signin', {
      body: JSON.stringify({ name: 'ada', password: PASSWORDS.ada }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(right.status, 200);
    const cookie = String(right.headers['set-cookie']);
    assert.match(cookie, /^orch_session=[A-Za-z0-9_-]{40,};/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const session = { cookie: cookie.split(';')[0]!, csrf: right.json.csrf as string };
    assert.deepEqual((await world.as(session, 'GET', '/api/me')).json, {
      name: 'ada',
      role: 'admin',
      csrf: session.csrf,
      pool: false,
    });
    assert.equal((await world.as(session, 'POST', '/api/signout', {})).status, 200);
    assert.equal((await world.as(session, 'GET', '/api/me')).status, 401);
    assert.equal((await world.http('GET', '/api/tasks')).status, 401, 'no cookie, no queue');
  });
});

test("CSRF: a change without the session's token (or with another session's) is 403 and changes nothing", async () => {
  await inPortal({}, async (world) => {
    const sam = await world.signIn('sam');
    const ada = await world.signIn('ada');
    assert.equal((await world.as(sam, 'POST', '/api/tasks', { title: 'forged' }, false)).status, 403);
    assert.equal(
      (await world.as({ cookie: sam.cookie, csrf: ada.csrf }, 'POST', '/api/tasks', { title: 'forged' })).status,
      403,
    );
    assert.equal((await world.queue.listTasks()).length, 0);
    assert.equal((await world.as(sam, 'POST', '/api/tasks', { title: 'real' })).status, 201);
    assert.deepEqual(
      (await world.queue.listTasks()).map((t) => [t.title, t.source]),
      [['real', 'portal']],
    );
  });
});

test('Host and Origin: a foreign Host is 421 and a foreign Origin 403 on every path, before any sign-in or body', async () => {
  await inPortal({ webhookSecret: 'whsec' }, async (world) => {
    for (const path of ['/', '/api/me', '/mcp', '/webhooks/tasks']) {
      assert.equal(
        (await world.http('GET', path, { headers: { host: `attacker.example:${world.port}` } })).status,
        421,
        path,
      );
      assert.equal(
        (await world.http('POST', path, { headers: { origin: 'http://attacker.example' }, body: '{}' })).status,
        403,
        path,
      );
    }
    // A session cookie sent from another site's page (Origin says so) is refused too.
    const ada = await world.signIn('ada');
    const fromElsewhere = await world.http('POST', '/api/tasks', {
      body: JSON.stringify({ title: 'x' }),
      headers: {
        cookie: ada.cookie,
        'x-csrf-token': ada.csrf,
        'content-type': 'application/json',
        origin: 'https://evil.example',
      },
    });
    assert.equal(fromElsewhere.status, 403);
    assert.equal((await world.queue.listTasks()).length, 0);
    const own = await world.http('GET', '/api/me', {
      headers: { cookie: ada.cookie, origin: `http://localhost:${world.port}` },
    });
    assert.equal(own.status, 200);
  });
});

test('brute force: after 5 wrong passwords the name is locked for a while (429 with Retry-After), even with the right one', async () => {
  await inPortal({}, async (world) => {
    const attempt = (password: string) =>
      world.http('POST', '/api/signin', {
        body: JSON.stringify({ name: 'sam', password }),
        headers: { 'content-type': 'application/json' },
      });
    for (let i = 0; i < 5; i++) assert.equal((await attempt(`guess-${i}-xx`)).status, 401);
    const locked = await attempt(PASSWORDS.sam);
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers['retry-after']) > 0);
    assert.equal(locked.headers['set-cookie'], undefined);
  });
});

test('every response carries the strict CSP; the page is served as built files; bodies are bounded', async () => {
  await inPortal({}, async (world) => {
    const page = await world.http('GET', '/');
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-security-policy']), /default-src 'none'; script-src 'self'/);
    assert.match(page.text, /<script src="\/assets\/portal\.js" defer><\/script>/);
    assert.doesNotMatch(page.text, /https?:\/\//, 'no CDN');
    assert.equal((await world.http('GET', '/assets/portal.js')).status, 200);
    const big = await world.http('POST', '/api/signin', {
      body: JSON.stringify({ name: 'ada', password: 'x'.repeat(10_000) }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(big.status, 413);
    assert.match(
      String((await world.http('GET', '/api/nothing')).headers['content-security-policy']),
      /frame-ancestors 'none'/,
    );
  });
});
