/**
 * Sign-in with an OpenID Connect provider (Google or any issuer), through `openid-client`: the
 * authorization code flow with PKCE, `state` and `nonce`. The provider is found by discovery from
 * its issuer URL. A pending sign-in (its code verifier and nonce, by the hash of its state) is kept
 * in the queue's store, so the callback may reach any `serve` process of a team: ten minutes and a
 * bounded number of them, tied to the browser that started it by a cookie of its own (another
 * browser cannot finish it: no login CSRF). A callback takes it out of the store: used once. The
 * email the provider says it verified (`email_verified` true) names the account; an unverified or
 * unknown email, or an agent's account, is refused with a page that says so, and no session. A
 * success starts the same session as a password. Failures count in the sign-in rate limiter.
 * The client secret comes from the environment only and never appears in an answer or a log.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as client from 'openid-client';
import type { QueueStore } from '../core/queue';
import type { Accounts } from './accounts';
import { tokenHash } from './credentials';
import { cookies, sendNotice } from './httpKit';
import type { SignInLimiter } from './rateLimit';
import type { Sessions } from './sessions';

export const OIDC_ISSUER_ENV = 'ORCHESTRATOR_OIDC_ISSUER';
export const OIDC_CLIENT_ID_ENV = 'ORCHESTRATOR_OIDC_CLIENT_ID';
export const OIDC_CLIENT_SECRET_ENV = 'ORCHESTRATOR_OIDC_CLIENT_SECRET';

export const OIDC_START = '/auth/oidc/start';
export const OIDC_CALLBACK = '/auth/oidc/callback';
const BROWSER_COOKIE = 'orch_oidc';
const PENDING_MS = 10 * 60 * 1000;
const MAX_PENDING = 1000;

export interface OidcSettings {
  issuer: string;
  clientId: string;
  /** Absent: a public client (PKCE only). */
  clientSecret?: string;
  /** The button says "Sign in with <label>"; default the issuer's host. */
  label?: string;
}

/** An issuer on this machine over plain HTTP (a test provider): the only one not required to be https. */
export const isLocalHttp = (url: URL): boolean =>
  url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

/** "Sign in with <label>": the configured label, else the issuer's host. */
export const oidcLabel = (settings: OidcSettings): string => settings.label ?? new URL(settings.issuer).host;

/** What a refused sign-in answers: a page, not JSON (the browser navigated here). */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterSec?: number,
  ) {
    super(message);
  }
}

const tooMany = (waitSec: number) =>
  new Refusal(
    429,
    `too many failed sign-ins from this address: try again in ${Math.ceil(waitSec / 60)} minute(s)`,
    waitSec,
  );

export class OidcSignIn {
  readonly label: string;
  private config: Promise<client.Configuration> | undefined;

  constructor(
    private readonly settings: OidcSettings,
    /** `<portal address>auth/oidc/callback`: register it at the provider. */
    readonly redirectUri: string,
    private readonly deps: {
      store: QueueStore;
      accounts: Accounts;
      sessions: Sessions;
      limiter: SignInLimiter;
      secure: boolean;
    },
  ) {
    this.label = oidcLabel(settings);
  }

  /** `GET /auth/oidc/start` and `GET /auth/oidc/callback`; false for any other request. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    if (req.method !== 'GET' || (path !== OIDC_START && path !== OIDC_CALLBACK)) return false;
    try {
      if (path === OIDC_START) await this.start(req, res);
      else await this.callback(req, res);
    } catch (error) {
      const refusal =
        error instanceof Refusal
          ? error
          : new Refusal(502, `the sign-in with ${this.label} failed: ${(error as Error).message}`);
      sendNotice(res, refusal.status, 'Sign-in refused', this.redacted(refusal.message), {
        'set-cookie': this.browserCookie('', 0),
        ...(refusal.retryAfterSec ? { 'retry-after': String(refusal.retryAfterSec) } : {}),
      });
    }
    return true;
  }

  private async start(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const redirect = new URL(this.redirectUri);
    // The pending sign-in's cookie must be sent back to the callback: start on the callback's host.
    if (req.headers.host?.toLowerCase() !== redirect.host.toLowerCase()) {
      res.writeHead(303, { location: new URL('start', redirect).href }).end();
      return;
    }
    const wait = await this.deps.limiter.retryAfter([addressKey(req)]);
    if (wait > 0) throw tooMany(wait);
    const config = await this.discovered();
    const [state, browser, verifier, nonce] = [
      client.randomState(),
      randomBytes(32).toString('base64url'),
      client.randomPKCECodeVerifier(),
      client.randomNonce(),
    ];
    const now = Date.now();
    await this.deps.store.addPendingSignIn(
      {
        stateHash: tokenHash(state),
        verifier,
        nonce,
        browserHash: tokenHash(browser),
        createdAt: new Date(now).toISOString(),
      },
      new Date(now - PENDING_MS),
      MAX_PENDING,
    );
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: 'openid email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    res
      .writeHead(303, {
        location: url.href,
        'cache-control': 'no-store',
        'set-cookie': this.browserCookie(browser, PENDING_MS / 1000),
      })
      .end();
  }

  private async callback(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const received = new URL(req.url ?? '/', 'http://portal');
    const state = received.searchParams.get('state') ?? '';
    // Taken out of the store: a replayed or forged callback finds nothing.
    const pending =
      state && state.length <= 200 ? await this.deps.store.takePendingSignIn(tokenHash(state)) : undefined;
    if (!pending || Date.now() - Date.parse(pending.createdAt) > PENDING_MS)
      throw new Refusal(400, 'this sign-in is unknown, expired or already used: start again from the sign-in page');
    if (!sameText(tokenHash(cookies(req).get(BROWSER_COOKIE) ?? ''), pending.browserHash))
      throw new Refusal(400, 'this sign-in was started in another browser: start again from the sign-in page');
    const keys = [addressKey(req)];
    // Counted before the provider's answer is checked, like a password before its comparison.
    const wait = await this.deps.limiter.attempt(keys);
    if (wait > 0) throw tooMany(wait);

    const config = await this.discovered();
    const currentUrl = new URL(this.redirectUri);
    currentUrl.search = received.search;
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw new Refusal(400, `${this.label} did not sign you in: ${describe(error)}`);
    }
    const claims = tokens.claims()!;
    let { email, email_verified: verified } = claims as { email?: unknown; email_verified?: unknown };
    if (typeof email !== 'string' || verified === undefined) {
      // Some providers put the email in UserInfo only.
      const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      ({ email, email_verified: verified } = info);
    }
    const account = await this.accountOf(email, verified);
    await this.deps.limiter.succeeded(`name:${account.name}`, keys);
    const { cookie } = await this.deps.sessions.start(account.name, account.role);
    res
      .writeHead(303, { location: '/', 'cache-control': 'no-store', 'set-cookie': [cookie, this.browserCookie('', 0)] })
      .end();
  }

  private async accountOf(email: unknown, verified: unknown) {
    // The address's attempt is counted already (callback); the email's counts too.
    const refuse = async (message: string) => {
      if (typeof email === 'string') await this.deps.limiter.failed([`email:${email.toLowerCase().slice(0, 200)}`]);
      return new Refusal(403, message);
    };
    if (typeof email !== 'string' || email === '')
      throw await refuse(`${this.label} did not tell your email address (the portal asks for the "email" scope)`);
    const shown = JSON.stringify(email.slice(0, 200));
    if (verified !== true)
      throw await refuse(`${this.label} has not verified the email ${shown}: only a verified email signs in`);
    const account = await this.deps.accounts.byEmail(email);
    if (!account)
      throw await refuse(
        `no account has the email ${shown}: ask an admin to add it (orchestrator user add <name> --role supervisor --email <email>)`,
      );
    if (account.role === 'agent')
      throw await refuse(`${account.name} is an agent account: agents use their MCP token, not the portal`);
    return account;
  }

  private discovered(): Promise<client.Configuration> {
    const { issuer, clientId, clientSecret } = this.settings;
    const url = new URL(issuer);
    this.config ??= client
      .discovery(url, clientId, clientSecret, clientSecret ? undefined : client.None(), {
        ...(isLocalHttp(url) ? { execute: [client.allowInsecureRequests] } : {}),
        timeout: 10,
      })
      .catch((error: unknown) => {
        this.config = undefined; // tried again on the next sign-in
        throw new Refusal(502, `the OpenID provider ${issuer} could not be reached or read: ${describe(error)}`);
      });
    return this.config;
  }

  private browserCookie(value: string, maxAgeSec: number): string {
    // Lax, not Strict: the provider's redirect back is a cross-site navigation that must carry it.
    return `${BROWSER_COOKIE}=${value}; Path=/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSec}${this.deps.secure ? '; Secure' : ''}`;
  }

  /** Never the client secret, whatever a provider or library put in a message. */
  private redacted(message: string): string {
    const secret = this.settings.clientSecret;
    return secret ? message.split(secret).join('***') : message;
  }
}

const addressKey = (req: IncomingMessage) => `addr:${req.socket.remoteAddress ?? ''}`;

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** An OAuth error as the provider said it (`invalid_grant: …`), else the message; one line, bounded. */
function describe(error: unknown): string {
  const { error: code, error_description: description } = error as { error?: unknown; error_description?: unknown };
  const text =
    typeof code === 'string'
      ? `${code}${typeof description === 'string' ? `: ${description}` : ''}`
      : (error as Error).message;
  return String(text).replace(/\s+/g, ' ').slice(0, 300);
}
