/**
 * Streamable HTTP on 127.0.0.1 only. Every request is checked in this order, before its body
 * is read: the Host header must name this server by a loopback name and its port (else 421:
 * a DNS-rebinding page reaches us under its own name), an Origin header, when sent, must be
 * this server's own origin (else 403: a web page the user visits, `Origin: null` included),
 * then the bearer token (compared in constant time; else 401). One MCP session per client, each
 * with its own server object over the one queue; idle sessions expire and their number is bounded.
 */
import { randomUUID, timingSafeEqual, createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { checkedPath, MALFORMED_PATH } from './requestPath';
import { errorResponse, INVALID_REQUEST, MAX_MESSAGE_BYTES, PARSE_ERROR, TOO_DEEP, TOO_LARGE, tooDeep } from './limits';

export interface HttpOptions {
  port: number;
  token: string;
  /** A session unused this long is closed (the client must initialize again). */
  sessionIdleMs: number;
  /** Open sessions at most; a new one beyond is refused with 503 until one closes or expires. */
  maxSessions: number;
  /** Open sessions of one agent account at most (`serve`); beyond, that account gets 429 and the others are unaffected. */
  maxSessionsPerAccount?: number;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

const digest = (value: string) => createHash('sha256').update(value).digest();

export function tokenMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token));
}

/** The Host and Origin this server answers to: a loopback name with its port, nothing else. */
export function originCheck(
  port: number,
): (req: IncomingMessage) => { status: 403 | 421; message: string } | undefined {
  const hosts = new Set(LOOPBACK_NAMES.map((name) => `${name}:${port}`));
  const origins = new Set([...hosts].map((host) => `http://${host}`));
  return (req) => {
    const host = req.headers.host?.toLowerCase();
    if (!host || !hosts.has(host))
      return {
        status: 421,
        message: `Misdirected request: this server answers only as ${[...hosts].join(', ')} (Host: ${JSON.stringify(host ?? '')})`,
      };
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(origin.toLowerCase()))
      return { status: 403, message: `Forbidden: requests from the web origin ${JSON.stringify(origin)} are refused` };
    return undefined;
  };
}

interface Session {
  transport: StreamableHTTPServerTransport;
  lastSeen: number;
  /** The account that opened it (undefined: the shared token). */
  identity?: string;
}

/** Who a request's bearer token belongs to (the name claims are made under), or undefined: refused with 401. */
export type Authorize = (authorization: string | undefined) => Promise<{ identity?: string } | undefined>;

export interface McpHandler {
  /** Serves one request on `/mcp`; Host and Origin were checked by the caller. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  close(): void;
}

const reply = (
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
  code = -32000,
) => {
  res
    .writeHead(status, { 'content-type': 'application/json', ...headers })
    .end(JSON.stringify(errorResponse(null, code, message)));
};

/**
 * MCP over Streamable HTTP for any server that routes `/mcp` here (`orchestrator mcp --http`,
 * `orchestrator serve`): the bearer token, bounded bodies and nesting, bounded and expiring sessions.
 * A session belongs to the identity that opened it; another token cannot use it.
 */
export function mcpHandler(
  options: Omit<HttpOptions, 'port' | 'token'>,
  authorize: Authorize,
  newServer: (identity?: string) => McpServer,
): McpHandler {
  const sessions = new Map<string, Session>();
  /** Sessions opened or opening, overall and per account. */
  let opened = 0;
  const ofAccount = new Map<string, number>();
  const count = (identity: string | undefined) => {
    opened++;
    if (identity !== undefined) ofAccount.set(identity, (ofAccount.get(identity) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      opened--;
      if (identity === undefined) return;
      const left = (ofAccount.get(identity) ?? 1) - 1;
      if (left > 0) ofAccount.set(identity, left);
      else ofAccount.delete(identity);
    };
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const who = await authorize(req.headers.authorization);
    if (!who)
      return reply(res, 401, 'Unauthorized: send Authorization: Bearer <token>', { 'www-authenticate': 'Bearer' });
    const sessionId = req.headers['mcp-session-id'];
    const known = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (known && known.identity !== who.identity)
      return reply(res, 404, 'unknown, expired or missing mcp-session-id: initialize a new session');
    if (known) known.lastSeen = Date.now();
    if (req.method !== 'POST') {
      if (!known) return reply(res, 404, 'unknown, expired or missing mcp-session-id: initialize a new session');
      return known.transport.handleRequest(req, res);
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch (error) {
      const tooLarge = (error as Error).message === TOO_LARGE;
      return reply(
        res,
        tooLarge ? 413 : 400,
        tooLarge ? TOO_LARGE : `the request body is not JSON: ${(error as Error).message}`,
        {},
        tooLarge ? INVALID_REQUEST : PARSE_ERROR,
      );
    }
    if (tooDeep(body)) return reply(res, 400, TOO_DEEP, {}, INVALID_REQUEST);
    if (known) return known.transport.handleRequest(req, res, body);
    if (sessionId !== undefined) return reply(res, 404, 'unknown or expired session: initialize a new session');
    if (!isInitializeRequest(body)) return reply(res, 400, 'no session: start with an initialize request');
    // Counted from the initialize on (not once it succeeded): parallel initializations cannot overshoot.
    if (opened >= options.maxSessions)
      return reply(
        res,
        503,
        `too many open sessions (the limit is ${options.maxSessions}, queue.maxSessions): close one or wait for an idle one to expire`,
        { 'retry-after': '60' },
      );
    const perAccount = who.identity === undefined ? undefined : options.maxSessionsPerAccount;
    if (perAccount !== undefined && (ofAccount.get(who.identity!) ?? 0) >= perAccount) {
      return reply(
        res,
        429,
        `too many open sessions for ${who.identity} (the limit is ${perAccount} per account, queue.maxSessionsPerAccount): close one or wait for an idle one to expire`,
        { 'retry-after': '60' },
      );
    }
    const release = count(who.identity);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) =>
        void sessions.set(id, { transport, lastSeen: Date.now(), ...(who.identity ? { identity: who.identity } : {}) }),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
      release();
    };
    await newServer(who.identity).connect(transport);
    await transport.handleRequest(req, res, body);
    // An initialize that did not make a session holds no place.
    if (!transport.sessionId || !sessions.has(transport.sessionId)) release();
  };
  // Idle sessions close on a sweep; a session's own traffic keeps it open.
  const sweep = setInterval(
    () => {
      const cutoff = Date.now() - options.sessionIdleMs;
      for (const session of sessions.values()) if (session.lastSeen < cutoff) void session.transport.close();
    },
    Math.min(60_000, Math.max(250, options.sessionIdleMs / 4)),
  );
  sweep.unref();
  return {
    handle,
    close: () => {
      clearInterval(sweep);
      sessions.forEach((s) => void s.transport.close());
    },
  };
}

export async function serveHttp(options: HttpOptions, newServer: () => McpServer): Promise<Server> {
  // Set once listening: with port 0 the system picks the port the checks must name.
  let foreign: ReturnType<typeof originCheck> = () => ({ status: 421, message: 'not listening yet' });
  const mcp = mcpHandler(options, async (header) => (tokenMatches(header, options.token) ? {} : undefined), newServer);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const refused = foreign(req);
    if (refused) return reply(res, refused.status, refused.message);
    if (!tokenMatches(req.headers.authorization, options.token))
      return reply(res, 401, 'Unauthorized: send Authorization: Bearer <token>', { 'www-authenticate': 'Bearer' });
    const path = checkedPath(req.url);
    if (path === undefined) return reply(res, 400, MALFORMED_PATH);
    if (path !== '/mcp') return reply(res, 404, 'the MCP endpoint is /mcp');
    return mcp.handle(req, res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) reply(res, 500, `internal error: ${(error as Error).message}`);
    });
  });
  // A client that trickles its headers or body holds a socket: bounded (an SSE stream's response is not).
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  foreign = originCheck((server.address() as AddressInfo).port);
  server.on('close', () => mcp.close());
  return server;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_MESSAGE_BYTES) {
        reject(new Error(TOO_LARGE));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
