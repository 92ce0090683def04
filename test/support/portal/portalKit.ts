// The portal test kit: `startPortal` in this process on a shop workspace's queue, three accounts
// (ada: admin, sam: supervisor, bot: agent), and raw HTTP requests (any Host, Origin or cookie).
import { request } from 'node:http';
import { join } from 'node:path';
import { engine } from '../../../src/core/engine';
import type { QueueService } from '../../../src/core/queue/queueService';
import { Accounts } from '../../../src/portal/accounts';
import type { OidcSettings } from '../../../src/portal/oidc';
import type { ReplySenderOptions, TwilioSettings } from '../../../src/portal/replies';
import { startPortal, type Portal } from '../../../src/portal/server';
import { makeShop, type ShopWorkspace } from '../engine/shopWorkspace';

export const PASSWORDS = { ada: 'ada-password-1', sam: 'sam-password-1', bot: 'bot-password-1' } as const;

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON answer, checked field by field
  json: any;
}

export interface PortalWorld {
  shop: ShopWorkspace;
  queue: QueueService;
  portal: Portal;
  port: number;
  accounts: Accounts;
  http(
    method: string,
    path: string,
    options?: { body?: string | Buffer; headers?: Record<string, string> },
  ): Promise<Reply>;
  /** Signs in; the cookie and CSRF token to send. */
  signIn(name: keyof typeof PASSWORDS): Promise<{ cookie: string; csrf: string }>;
  /** A JSON request with a session (and its CSRF token unless `csrf: false`). */
  as(
    session: { cookie: string; csrf: string },
    method: string,
    path: string,
    body?: unknown,
    csrf?: boolean,
  ): Promise<Reply>;
  close(): Promise<void>;
}

/** Runs `body` in a new portal world (`options` as portalWorld takes them), closed after, whatever `body` did. */
export async function inPortal(
  options: Parameters<typeof portalWorld>[0],
  body: (world: PortalWorld) => Promise<void>,
): Promise<void> {
  const world = await portalWorld(options);
  try {
    await body(world);
  } finally {
    await world.close();
  }
}

export async function portalWorld(
  options: {
    webhookSecret?: string;
    twilioAuthToken?: string;
    publicUrl?: string;
    sharedToken?: string;
    twilio?: TwilioSettings & ReplySenderOptions;
    oidc?: OidcSettings;
    config?: (yaml: string) => string;
    dir?: string;
  } = {},
): Promise<PortalWorld> {
  // `dir`: serve a workspace another world made (and cleans up); otherwise a fresh shop.
  const shop = options.dir ? servedDir(options.dir) : makeShop(options.config ? { config: options.config } : {});
  const queue = await engine.openQueue(shop.dir, { trusted: true });
  const accounts = new Accounts(queue.store);
  await accounts.put('ada', 'admin', PASSWORDS.ada);
  await accounts.put('sam', 'supervisor', PASSWORDS.sam);
  await accounts.put('bot', 'agent', PASSWORDS.bot);
  const portal = await startPortal(queue, {
    port: 0,
    host: '127.0.0.1',
    assetsDir: join(__dirname, '../../../dist/portal'),
    version: 'test',
    ...(options.webhookSecret ? { webhookSecret: options.webhookSecret } : {}),
    ...(options.sharedToken ? { sharedToken: options.sharedToken } : {}),
    ...(options.twilioAuthToken ? { twilioAuthToken: options.twilioAuthToken } : {}),
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    ...(options.twilio ? { twilio: options.twilio } : {}),
    ...(options.oidc ? { oidc: options.oidc } : {}),
  });
  const port = (portal.server.address() as { port: number }).port;
  const http: PortalWorld['http'] = (method, path, opts = {}) =>
    new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...opts.headers } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
          });
        },
      );
      req.on('error', reject);
      req.end(opts.body);
    });
  const as: PortalWorld['as'] = (session, method, path, body, csrf = true) =>
    http(method, path, {
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      headers: {
        cookie: session.cookie,
        'content-type': 'application/json',
        ...(csrf ? { 'x-csrf-token': session.csrf } : {}),
      },
    });
  return {
    shop,
    queue,
    portal,
    port,
    accounts,
    http,
    as,
    async signIn(name) {
      const reply = await http('POST', '/api/signin', {
        body: JSON.stringify({ name, password: PASSWORDS[name] }),
        headers: { 'content-type': 'application/json' },
      });
      if (reply.status !== 200) throw new Error(`sign-in of ${name}: ${reply.status} ${reply.text}`);
      const cookie = String(([] as string[]).concat(reply.headers['set-cookie'] ?? [])[0]).split(';')[0]!;
      return { cookie, csrf: reply.json.csrf as string };
    },
    async close() {
      await portal.close();
      await queue.close();
      shop.cleanup();
    },
  };
}

/** Another world's workspace: the portal serves it; that world reads, writes and removes it. */
function servedDir(dir: string): ShopWorkspace {
  const elsewhere = (): never => {
    throw new Error(`${dir} belongs to another test world: use it`);
  };
  return { dir, git: elsewhere, read: elsewhere, write: elsewhere, cleanup: () => {} };
}
