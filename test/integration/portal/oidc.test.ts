// OpenID Connect sign-in against a real local provider (oidc-provider on 127.0.0.1): a verified
// email signs in as its account with the account's role; an unverified or unknown email, or an
// agent's account, is refused with no session; a forged state, a callback from another browser
// and a replayed callback are refused; the client secret is in no answer and not in serve's output.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { engine } from '../../../src/core/engine';
import { Accounts } from '../../../src/portal/accounts';
import { startOidcProvider, type LocalOidcProvider } from '../../support/oidcProvider';
import { startServe, type ServeProcess } from '../../support/serveProcess';
import { buildCli } from '../../support/cli/cliKit';
import { makeShop } from '../../support/engine/shopWorkspace';
import { portalWorld, type PortalWorld } from '../../support/portal/portalKit';

let provider: LocalOidcProvider;
let world: PortalWorld;

before(async () => {
  provider = await startOidcProvider();
  world = await portalWorld({
    oidc: { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret },
  });
  await provider.allow(world.portal.oidc!.redirectUri);
  await world.accounts.put('sam', 'supervisor', undefined, 'Sam@Example.com');
  await world.accounts.put('ada', 'admin', undefined, 'ada@example.com');
  await world.accounts.put('bot', 'agent', undefined, 'bot@example.com');
  provider.users.set('u-sam', { email: 'sam@example.com', email_verified: true });
  provider.users.set('u-ada-unverified', { email: 'ada@example.com', email_verified: false });
  provider.users.set('u-stranger', { email: 'stranger@example.com', email_verified: true });
  provider.users.set('u-bot', { email: 'bot@example.com', email_verified: true });
});
after(async () => {
  await world?.close();
  await provider?.close();
});

/** A browser's cookies, per host (paths and expiry beyond Max-Age=0 do not matter here). */
class Jar {
  private readonly byHost = new Map<string, Map<string, string>>();
  header(url: string): string {
    return [...(this.byHost.get(new URL(url).host) ?? new Map<string, string>())]
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
  }
  keep(url: string, setCookies: string[]): void {
    const jar = this.byHost.get(new URL(url).host) ?? new Map<string, string>();
    this.byHost.set(new URL(url).host, jar);
    for (const line of setCookies) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      if (/max-age=0\b/i.test(line) || pair.slice(at + 1) === '') jar.delete(pair.slice(0, at).trim());
      else jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
  }
  get(url: string, name: string): string | undefined {
    return this.byHost.get(new URL(url).host)?.get(name);
  }
}

interface Page {
  url: string;
  status: number;
  text: string;
  setCookies: string[];
}

async function get(jar: Jar, url: string): Promise<Page & { location?: string }> {
  const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header(url) } });
  const setCookies = res.headers.getSetCookie();
  jar.keep(url, setCookies);
  const location = res.headers.get('location');
  return {
    url,
    status: res.status,
    text: await res.text(),
    setCookies,
    ...(location ? { location: new URL(location, url).href } : {}),
  };
}

/** Follows redirects from `url` until the portal's callback is next: that URL, not yet visited. */
async function untilCallback(jar: Jar, url: string): Promise<string> {
  for (let hops = 0; hops < 20; hops++) {
    const page = await get(jar, url);
    if (!page.location) throw new Error(`stopped at ${url}: ${page.status} ${page.text.slice(0, 300)}`);
    if (new URL(page.location).pathname === '/auth/oidc/callback') return page.location;
    url = page.location;
  }
  throw new Error('too many redirects');
}

/** What `serve` has said once it has said `what` (its start-up lines follow the address at once). */
async function saying(serving: ServeProcess, what: RegExp): Promise<string> {
  for (let i = 0; i < 500 && !what.test(serving.stderr()); i++) await new Promise((r) => setTimeout(r, 20));
  assert.match(serving.stderr(), what);
  return serving.stderr();
}

const portalUrl = (path: string) => `http://127.0.0.1:${world.port}${path}`;

async function signInAs(sub: string): Promise<{ jar: Jar; callback: string; page: Page & { location?: string } }> {
  provider.signInAs(sub);
  const jar = new Jar();
  const callback = await untilCallback(jar, portalUrl('/auth/oidc/start'));
  return { jar, callback, page: await get(jar, callback) };
}

const me = (jar: Jar) => world.http('GET', '/api/me', { headers: { cookie: jar.header(portalUrl('/')) } });

test('the sign-in page offers the provider; the start sends the browser to it with PKCE (S256), state and nonce', async () => {
  const options = await world.http('GET', '/api/signin');
  assert.deepEqual(options.json, { oidc: { label: new URL(provider.issuer).host, start: '/auth/oidc/start' } });
  const start = await get(new Jar(), portalUrl('/auth/oidc/start'));
  assert.equal(start.status, 303);
  const to = new URL(start.location!);
  assert.equal(to.origin, provider.issuer);
  assert.equal(to.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(to.searchParams.get('redirect_uri'), world.portal.oidc!.redirectUri);
  assert.ok(to.searchParams.get('state') && to.searchParams.get('nonce') && to.searchParams.get('code_challenge'));
  assert.match(start.setCookies.join('\n'), /orch_oidc=[^;]+; Path=\/auth\/oidc; HttpOnly; SameSite=Lax/);
});

test("a verified email signs in as its account, with the account's role and a session like a password's", async () => {
  const { jar, page } = await signInAs('u-sam');
  assert.equal(page.status, 303, page.text);
  assert.equal(page.location, portalUrl('/'));
  assert.match(page.setCookies.join('\n'), /orch_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict/);
  const who = await me(jar);
  assert.equal(who.status, 200);
  assert.equal(who.json.name, 'sam');
  assert.equal(who.json.role, 'supervisor');
  // The session decides like any other: its CSRF token is required and works.
  const session = { cookie: jar.header(portalUrl('/')), csrf: who.json.csrf as string };
  assert.equal((await world.as(session, 'POST', '/api/tasks', { title: 'from an OIDC session' }, false)).status, 403);
  assert.equal((await world.as(session, 'POST', '/api/tasks', { title: 'from an OIDC session' })).status, 201);
});

test("an unverified email, an unknown email and an agent's account are refused with a page that says why, and no session", async () => {
  const cases: [string, RegExp][] = [
    ['u-ada-unverified', /has not verified the email &#34;ada@example.com&#34;/],
    ['u-stranger', /no account has the email &#34;stranger@example.com&#34;/],
    ['u-bot', /bot is an agent account/],
  ];
  for (const [sub, why] of cases) {
    const { jar, page } = await signInAs(sub);
    assert.equal(page.status, 403, sub);
    assert.match(page.text, why, sub);
    assert.match(page.text, /<h1>Sign-in refused<\/h1>/);
    assert.doesNotMatch(page.setCookies.join('\n'), /orch_session=[^;]/, sub);
    assert.equal((await me(jar)).status, 401, sub);
  }
});

test('a forged state, a callback in another browser and a replayed callback are refused', async () => {
  provider.signInAs('u-sam');
  const jar = new Jar();
  const callback = await untilCallback(jar, portalUrl('/auth/oidc/start'));
  const forged = new URL(callback);
  forged.searchParams.set('state', 'forged-state');
  const refused = await get(jar, forged.href);
  assert.equal(refused.status, 400);
  assert.match(refused.text, /unknown, expired or already used/);

  // Someone else's browser (no orch_oidc cookie) cannot finish this sign-in; it is spent.
  const elsewhere = await get(new Jar(), callback);
  assert.equal(elsewhere.status, 400);
  assert.match(elsewhere.text, /started in another browser/);
  assert.equal((await get(jar, callback)).status, 400, 'a refused callback is used up too');

  // A successful callback, replayed (even with the browser's own cookies): refused, no second session.
  const done = await signInAs('u-sam');
  assert.equal(done.page.status, 303);
  const replay = await get(done.jar, done.callback);
  assert.equal(replay.status, 400);
  assert.match(replay.text, /already used/);
  assert.doesNotMatch(replay.setCookies.join('\n'), /orch_session=[^;]/);
});

test('the client secret is in no answer, even when the provider refuses the client', async () => {
  const wrong = await portalWorld({
    oidc: { issuer: provider.issuer, clientId: provider.clientId, clientSecret: 'the-wrong-secret-a8d2' },
  });
  try {
    await provider.allow(wrong.portal.oidc!.redirectUri);
    provider.signInAs('u-sam');
    const jar = new Jar();
    const callback = await untilCallback(jar, `http://127.0.0.1:${wrong.port}/auth/oidc/start`);
    const page = await get(jar, callback);
    assert.equal(page.status, 400);
    assert.match(page.text, /did not sign you in: invalid_client/);
    assert.doesNotMatch(page.text, /the-wrong-secret-a8d2|test-client-secret/);
    assert.doesNotMatch(page.setCookies.join('\n'), /orch_session=[^;]/);
  } finally {
    await wrong.close();
  }
});

test('failed OpenID Connect sign-ins count in the rate limiter: after five, the address waits', async () => {
  const limited = await portalWorld({
    oidc: { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret },
  });
  try {
    await provider.allow(limited.portal.oidc!.redirectUri);
    provider.signInAs('u-stranger');
    for (let i = 0; i < 5; i++) {
      const jar = new Jar();
      const page = await get(jar, await untilCallback(jar, `http://127.0.0.1:${limited.port}/auth/oidc/start`));
      assert.equal(page.status, 403);
    }
    const res = await fetch(`http://127.0.0.1:${limited.port}/auth/oidc/start`, { redirect: 'manual' });
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) > 0);
    const start = { text: await res.text() };
    assert.match(start.text, /too many failed sign-ins/);
    // The same address's password sign-ins wait too: one limiter.
    const password = await limited.http('POST', '/api/signin', {
      body: JSON.stringify({ name: 'sam', password: 'sam-password-1' }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(password.status, 429);
  } finally {
    await limited.close();
  }
});

test("the Accounts page sets and removes an account's email (admins only); a taken or malformed email is refused", async () => {
  const ada = await world.signIn('ada');
  const set = await world.as(ada, 'POST', '/api/accounts', {
    name: 'lea',
    role: 'supervisor',
    email: 'Lea@Example.com',
  });
  assert.equal(set.status, 201, set.text);
  assert.equal(set.json.email, 'lea@example.com');
  assert.equal((await world.accounts.byEmail('LEA@example.com'))?.name, 'lea');
  const taken = await world.as(ada, 'POST', '/api/accounts', {
    name: 'max',
    role: 'supervisor',
    email: 'lea@example.com',
  });
  assert.equal(taken.status, 400);
  assert.match(taken.json.error, /already the email of lea/);
  assert.equal(
    (await world.as(ada, 'POST', '/api/accounts', { name: 'max', role: 'supervisor', email: 'no at sign' })).status,
    400,
  );
  assert.equal(
    (
      await world.as(ada, 'POST', '/api/accounts', {
        name: 'lea',
        role: 'supervisor',
        password: 'a long password',
        email: null,
      })
    ).json.email,
    undefined,
  );
  assert.equal(await world.accounts.byEmail('lea@example.com'), undefined);
  const sam = await world.signIn('sam');
  assert.equal(
    (await world.as(sam, 'POST', '/api/accounts', { name: 'sam', role: 'admin', email: 'x@example.com' })).status,
    403,
  );
});

test('without OpenID Connect settings there is no button and its routes answer 404', async () => {
  const plain = await portalWorld();
  try {
    assert.deepEqual((await plain.http('GET', '/api/signin')).json, { oidc: null });
    assert.equal((await plain.http('GET', '/auth/oidc/start')).status, 404);
    assert.equal((await plain.http('GET', '/auth/oidc/callback?state=x&code=y')).status, 404);
  } finally {
    await plain.close();
  }
});

test('orchestrator serve: settings from the environment, a sign-in through it, and the secret never printed', async () => {
  buildCli();
  const shop = makeShop();
  const queue = await engine.openQueue(shop.dir, { trusted: true });
  await new Accounts(queue.store).put('sam', 'supervisor', undefined, 'sam@example.com');
  await queue.close();
  let serving: ServeProcess | undefined;
  try {
    serving = await startServe(shop.dir, {
      ORCHESTRATOR_OIDC_ISSUER: provider.issuer,
      ORCHESTRATOR_OIDC_CLIENT_ID: provider.clientId,
      ORCHESTRATOR_OIDC_CLIENT_SECRET: provider.clientSecret,
    });
    const { port } = serving;
    const said = await saying(serving, /register the redirect URI/);
    assert.match(
      said,
      new RegExp(
        `OpenID Connect sign-in with ${provider.issuer} \\(client ${provider.clientId}, its secret from the environment\\); register the redirect URI http://127\\.0\\.0\\.1:${port}/auth/oidc/callback`,
      ),
    );
    await provider.allow(`http://127.0.0.1:${port}/auth/oidc/callback`);
    provider.signInAs('u-sam');
    const jar = new Jar();
    const callback = await untilCallback(jar, `http://127.0.0.1:${port}/auth/oidc/start`);
    const signedIn = await get(jar, callback);
    assert.equal(signedIn.status, 303, signedIn.text);
    const who = await fetch(`http://127.0.0.1:${port}/api/me`, { headers: { cookie: jar.header(callback) } });
    assert.equal(((await who.json()) as { name: string }).name, 'sam');
    const replayed = await get(jar, callback);
    assert.equal(replayed.status, 400);
    for (const text of [signedIn.text, replayed.text]) assert.ok(!text.includes(provider.clientSecret));
  } finally {
    await serving?.stop();
    shop.cleanup();
    // (Its stdout stays empty: serve speaks on stderr.)
    assert.ok(!serving?.stderr().includes(provider.clientSecret), 'serve printed the client secret');
  }
});

test('orchestrator serve: an issuer over plain HTTP on another machine, or half the settings, turns OpenID Connect off and says why', async () => {
  const shop = makeShop({ config: (yaml) => `${yaml}\nserve:\n  oidc:\n    clientId: from-the-config\n` });
  const runs: { env: Record<string, string>; says: RegExp }[] = [
    {
      env: { ORCHESTRATOR_OIDC_ISSUER: 'http://idp.example.com' },
      says: /OpenID Connect sign-in is off: the issuer "http:\/\/idp\.example\.com" is not an https:\/\/ URL/,
    },
    {
      env: {},
      says: /OpenID Connect sign-in is off: it needs both an issuer \(ORCHESTRATOR_OIDC_ISSUER or serve\.oidc\.issuer\) and a client id/,
    },
  ];
  try {
    for (const { env, says } of runs) {
      const serving = await startServe(shop.dir, env);
      try {
        await saying(serving, says);
        assert.equal(
          (await fetch(`http://127.0.0.1:${serving.port}/auth/oidc/start`, { redirect: 'manual' })).status,
          404,
        );
      } finally {
        await serving.stop();
      }
    }
  } finally {
    shop.cleanup();
  }
});
