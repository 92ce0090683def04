/**
 * `orchestrator mcp`: the task queue's MCP server, its own bundle (scripts/build.mjs:
 * dist/mcp.js), loaded by the CLI only for this command, so every other command starts without
 * the MCP SDK. Serves until the signal: stdio for an MCP client that launched us (lines bounded,
 * see boundedStdio.ts), or Streamable HTTP on 127.0.0.1 (see httpServer.ts).
 */
import type { QueueService } from '../core/queue';
import { BoundedStdioTransport } from './boundedStdio';
import { serveHttp } from './httpServer';
import { createQueueServer } from './queueServer';
import { loadOrCreateToken, TOKEN_ENV } from './token';

export interface ServeOptions {
  workspace: string;
  /** The HTTP port (0: any free one); undefined serves on stdio. */
  httpPort?: number;
  version: string;
  signal: AbortSignal;
  /** A line for the user (stderr: stdout is the protocol on stdio). */
  say: (line: string) => void;
}

export async function serveMcp(queue: QueueService, options: ServeOptions): Promise<void> {
  const { say, signal, version } = options;
  if (options.httpPort === undefined) {
    const server = createQueueServer(queue, version);
    await server.connect(new BoundedStdioTransport());
    say(`orchestrator: the task queue of ${options.workspace} over MCP on stdio`);
    let lost: Error | undefined;
    await new Promise<void>((resolve) => {
      signal.addEventListener('abort', () => resolve(), { once: true });
      process.stdin.once('end', () => resolve());
      queue.onLost((error) => ((lost = error), resolve()));
    });
    await server.close();
    if (lost) throw lost;
    return;
  }
  const { token, file } = loadOrCreateToken();
  const { sessionIdleMin, maxSessions } = queue.settings;
  const http = await serveHttp(
    { port: options.httpPort, token, sessionIdleMs: sessionIdleMin * 60_000, maxSessions },
    () => createQueueServer(queue, version),
  );
  const { port } = http.address() as { port: number };
  say(`orchestrator: the task queue of ${options.workspace} over MCP at http://127.0.0.1:${port}/mcp`);
  say(
    file
      ? `every request needs "Authorization: Bearer <token>"; the token is in ${file} (readable by you only)`
      : `every request needs "Authorization: Bearer <token>" with the token from ${TOKEN_ENV}`,
  );
  let lost: Error | undefined;
  await new Promise<void>((resolve) => {
    signal.addEventListener('abort', () => resolve(), { once: true });
    queue.onLost((error) => ((lost = error), resolve()));
  });
  const closed = new Promise<void>((resolve) => http.close(() => resolve()));
  http.closeAllConnections();
  await closed;
  if (lost) throw lost;
}
