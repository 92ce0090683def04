/**
 * The HTTP plumbing the test servers share (the model servers through modelApi/scriptedServer.ts,
 * githubApiServer.ts): a server on 127.0.0.1:0, each request's body and headers, a signal that
 * fires when the client goes away, and close/idle that wait for every handler.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    // A request its client gave up on mid-body (a cancelled run) never ends: settle with what
    // came, or close() would wait for this answer forever.
    req.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** Lower-case header names, repeated values joined. */
export function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export interface ScriptedHttp {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** Errors thrown by a handler (script bugs, server bugs). */
  scriptErrors: Error[];
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Serves `answer` on 127.0.0.1. `fail` answers a request whose handler threw, with a 400 (not a
 * 5xx: a server bug must fail the test, not be hidden by the client's retries).
 */
export async function startScriptedHttp(
  answer: (req: IncomingMessage, res: ServerResponse, gone: AbortSignal) => Promise<void>,
  fail: (res: ServerResponse, message: string) => void,
): Promise<ScriptedHttp> {
  const scriptErrors: Error[] = [];
  const inFlight = new Set<AbortController>();
  const handlers = new Set<Promise<void>>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const gone = new AbortController();
    inFlight.add(gone);
    res.on('close', () => gone.abort());
    try {
      await answer(req, res, gone.signal);
    } finally {
      inFlight.delete(gone);
    }
  }

  const server = createServer((req, res) => {
    const done = handle(req, res).catch((error: unknown) => {
      scriptErrors.push(error instanceof Error ? error : new Error(String(error)));
      if (!res.headersSent) fail(res, `test server failure: ${error instanceof Error ? error.message : String(error)}`);
      else res.destroy();
    });
    handlers.add(done);
    void done.finally(() => handlers.delete(done));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    scriptErrors,
    async idle() {
      while (handlers.size > 0) await Promise.allSettled([...handlers]);
    },
    async close() {
      for (const gone of inFlight) gone.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // Each answer ends once its connection is gone; should one still wait on something that
      // will never come, the test is not held by it.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...handlers]),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, 5000))),
      ]);
      clearTimeout(timer);
    },
  };
}
