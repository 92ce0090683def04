/**
 * `orchestrator serve` as a process of its own (the built dist/cli.js), and a raw client of its
 * portal: JSON requests with any cookie or header, sign-in, and the live event stream as a page
 * holds it open. For the team tier: several `serve` processes on one PostgreSQL queue.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request, type Agent } from 'node:http';
import { resolve } from 'node:path';

const CLI = resolve(__dirname, '../../dist/cli.js');

export interface ServeProcess {
  child: ChildProcess;
  port: number;
  /** Everything it wrote on stderr so far. */
  stderr(): string;
  /** SIGTERM, then waits for it to end. */
  stop(): Promise<void>;
}

/** Starts `serve --port 0` on `workspace`; resolves once it says where it listens. */
export function startServe(workspace: string, env: Record<string, string> = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--workspace', workspace], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ended = new Promise<void>((done) => child.once('close', () => done()));
  let said = '';
  child.stderr!.on('data', (chunk: Buffer) => (said += chunk.toString('utf8')));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await ended;
  };
  return new Promise((resolveStarted, reject) => {
    child.stderr!.on('data', () => {
      const found = /portal at http:\/\/127\.0\.0\.1:(\d+)\//.exec(said);
      if (found) resolveStarted({ child, port: Number(found[1]), stderr: () => said, stop });
    });
    void ended.then(() => reject(new Error(`serve ended before listening: ${said}`)));
  });
}

export interface PortalReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON answer, checked field by field
  json: any;
}

/** One request to the portal on `port`, as a client on this machine sends it (Host: 127.0.0.1:port). */
export function portalCall(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
  agent?: Agent,
): Promise<PortalReply> {
  return new Promise((resolveReply, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        ...(agent ? { agent } : {}),
        headers: { host: `127.0.0.1:${port}`, ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolveReply({
            status: res.statusCode ?? 0,
            headers: res.headers,
            json: text && /json/.test(String(res.headers['content-type'])) ? JSON.parse(text) : {},
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface PortalSession {
  cookie: string;
  csrf: string;
  /** A JSON request with this session's cookie and CSRF token. */
  send(method: string, path: string, body?: unknown): Promise<PortalReply>;
}

export async function portalSignIn(port: number, name: string, password: string): Promise<PortalSession> {
  const reply = await portalCall(
    port,
    'POST',
    '/api/signin',
    { 'content-type': 'application/json' },
    JSON.stringify({ name, password }),
  );
  if (reply.status !== 200) throw new Error(`sign-in of ${name} on port ${port}: ${reply.status}`);
  const cookie = String(([] as string[]).concat(reply.headers['set-cookie'] ?? [])[0]).split(';')[0]!;
  const csrf = String(reply.json.csrf);
  return {
    cookie,
    csrf,
    send: (method, path, body) =>
      portalCall(
        port,
        method,
        path,
        { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        body === undefined ? undefined : JSON.stringify(body),
      ),
  };
}

export interface LiveChange {
  taskId: string;
  kind: string;
  /** performance.now() when it arrived. */
  at: number;
}

/** The `change` events a signed-in page on `port` receives (`/api/events`), as they arrive. */
export async function portalEvents(port: number, cookie: string): Promise<{ changes: LiveChange[]; close(): void }> {
  const changes: LiveChange[] = [];
  let buffer = '';
  const req = request({ host: '127.0.0.1', port, path: '/api/events', headers: { host: `127.0.0.1:${port}`, cookie } });
  await new Promise<void>((opened, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      if (res.statusCode !== 200) return reject(new Error(`/api/events answered ${res.statusCode}`));
      res.on('data', (chunk: Buffer) => {
        const at = performance.now();
        buffer += chunk.toString();
        const frames = buffer.split('\n\n');
        buffer = frames.pop()!;
        for (const frame of frames)
          if (frame.startsWith('event: change'))
            changes.push({ ...(JSON.parse(frame.split('data: ')[1]!) as { taskId: string; kind: string }), at });
      });
      opened();
    });
    req.end();
  });
  return { changes, close: () => req.destroy() };
}
