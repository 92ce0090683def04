/**
 * `orchestrator serve`: one HTTP server for the portal (its page and JSON API), MCP over
 * Streamable HTTP (`/mcp`, src/mcp) and the task webhooks, on the queue's store. Host and Origin
 * are checked on every request before anything else (origin.ts); every body is bounded; every
 * response carries the strict CSP (httpKit.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { QueueService } from '../core/queue';
import { checkedPath, createQueueServer, MALFORMED_PATH, mcpHandler, tokenMatches } from '../mcp';
import type { Github } from '../github';
import { Accounts } from './accounts';
import { handleApi, statusOf } from './api';
import { sendError } from './httpKit';
import { GithubWebhook } from './githubWebhook';
import { originPolicy, refusal } from './origin';
import { OIDC_CALLBACK, oidcLabel, OidcSignIn, type OidcSettings } from './oidc';
import { Pages } from './pages';
import { PortalPool } from './poolBoard';
import { SignInLimiter } from './rateLimit';
import { Realtime } from './realtime';
import { ReplySender, type ReplySenderOptions, type TwilioSettings } from './replies';
import { Sessions } from './sessions';
import { whatsappWebhook } from './twilio';
import { taskWebhook } from './webhooks';

export interface PortalOptions {
  port: number;
  host: string;
  /** The address people reach the portal at (behind a proxy); its host is accepted, https makes cookies Secure. */
  publicUrl?: string;
  /** The shared MCP token (`mcp-token`): accepted on a loopback-only server, besides agents' own tokens. */
  sharedToken?: string;
  webhookSecret?: string;
  /** TWILIO_AUTH_TOKEN: the key of WhatsApp messages' signatures. */
  twilioAuthToken?: string;
  /** Twilio's Messages API, for replies to requesters (all of SID, token and sender set). */
  twilio?: TwilioSettings & ReplySenderOptions;
  /** OpenID Connect sign-in (docs/portal.md); its redirect URI is `<portal origin>/auth/oidc/callback`. */
  oidc?: OidcSettings;
  /** The GitHub channel (issue 39, src/github): `POST /webhooks/github`. */
  github?: Github;
  /** The rate limits' clock (tests move it past a window). */
  now?: () => number;
  /** Where the built page is (dist/portal). */
  assetsDir: string;
  version: string;
}

export interface Portal {
  server: Server;
  url: string;
  realtime: Realtime;
  /** Set when OpenID Connect sign-in is configured. */
  oidc?: OidcSignIn;
  close(): Promise<void>;
}

export const isLoopback = (host: string) => ['127.0.0.1', 'localhost', '::1'].includes(host);

export async function startPortal(queue: QueueService, options: PortalOptions): Promise<Portal> {
  const accounts = new Accounts(queue.store);
  const realtime = new Realtime();
  const secure = options.publicUrl?.startsWith('https:') ?? false;
  const sessions = new Sessions(queue.store, secure);
  const limiter = new SignInLimiter(queue.store, options.now);
  const githubWebhook = new GithubWebhook(options.github, queue.store, options.now);
  const pool = new PortalPool(queue, () => realtime.publishPool());
  pool.start();
  const github = options.github?.channel;
  const githubGates = github
    ? { github: { specs: () => github.waitingSpecs(), decide: github.decideInPortal.bind(github) } }
    : {};
  github?.onChange(() => realtime.publish({ taskId: '', kind: 'task' }));
  const ctx = {
    queue,
    accounts,
    sessions,
    limiter,
    realtime,
    pool,
    ...githubGates,
    ...(options.oidc ? { oidcLabel: oidcLabel(options.oidc) } : {}),
  };
  // Made once the port is known (the redirect URI names it).
  let oidc: OidcSignIn | undefined;
  const pages = new Pages(options.assetsDir);
  const { sessionIdleMin, maxSessions, maxSessionsPerAccount } = queue.settings;
  const shared = isLoopback(options.host) ? options.sharedToken : undefined;
  const mcp = mcpHandler(
    { sessionIdleMs: sessionIdleMin * 60_000, maxSessions, maxSessionsPerAccount },
    async (header) => {
      if (shared && tokenMatches(header, shared)) return {};
      const token = /^Bearer (.+)$/i.exec(header ?? '')?.[1];
      const agent = token ? await accounts.byToken(token) : undefined;
      return agent ? { identity: agent.name } : undefined;
    },
    (identity) => createQueueServer(queue, options.version, identity),
  );
  const sender = options.twilio ? new ReplySender(queue, options.twilio, options.twilio) : undefined;
  const unsubscribe = queue.onChange((change) => {
    realtime.publish(change);
    sender?.kick();
  });
  sender?.kick();
  // Changes made by other processes on the queue (other `serve`s on one PostgreSQL database).
  const stopFollowing = await queue.follow();

  let policy = originPolicy(options.port, options.host, options.publicUrl);
  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const refused = refusal(policy, req);
    if (refused) return sendError(res, refused.status, refused.message);
    const path = checkedPath(req.url);
    if (path === undefined) {
      // The body is drained, not read: a keep-alive client's next request on this socket still works.
      req.resume();
      return sendError(res, 400, MALFORMED_PATH);
    }
    if (path === '/mcp') return mcp.handle(req, res);
    if (path === '/webhooks/tasks' && req.method === 'POST') return taskWebhook(queue, options.webhookSecret, req, res);
    if (path === '/webhooks/github' && req.method === 'POST') return githubWebhook.handle(req, res);
    if (path === '/webhooks/twilio/whatsapp' && req.method === 'POST')
      return whatsappWebhook(queue, options.twilioAuthToken, options.publicUrl, req, res);
    if (path.startsWith('/api/')) return handleApi(ctx, req, res, path);
    if (path.startsWith('/auth/oidc/') && oidc && (await oidc.handle(req, res, path))) return;
    if (req.method === 'GET' && pages.serve(path, res)) return;
    sendError(res, 404, `no ${req.method} ${path}`);
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      const known = statusOf(error);
      sendError(res, known?.status ?? 500, known?.message ?? `internal error: ${(error as Error).message}`);
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  policy = originPolicy(port, options.host, options.publicUrl);
  const shownHost =
    isLoopback(options.host) || options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const url = options.publicUrl ?? `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}/`;
  if (options.oidc)
    oidc = new OidcSignIn(options.oidc, new URL(OIDC_CALLBACK.slice(1), url).href, {
      store: queue.store,
      accounts,
      sessions,
      limiter,
      secure,
    });
  return {
    server,
    realtime,
    url,
    ...(oidc ? { oidc } : {}),
    close: async () => {
      unsubscribe();
      await stopFollowing();
      await pool.close();
      await sender?.stop();
      realtime.close();
      mcp.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
