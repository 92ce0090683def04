// A webhook endpoint on 127.0.0.1 that receives the run's CloudEvents as events.webhook posts them
// (tests of the event sinks): `fail(n)` decides, per request number, to answer 503, drop the
// connection, or take the event.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  body: string;
  event: {
    id: string;
    type: string;
    subject?: string;
    requestid: string;
    data: Record<string, unknown> & { request_id: string; links: Record<string, string> };
  };
  signature: string | undefined;
}

export interface Receiver {
  server: Server;
  url: string;
  received: Received[];
  requests: () => number;
  close(): Promise<void>;
}

export async function receiver(fail: (n: number) => 'ok' | '503' | 'drop' = () => 'ok', port = 0): Promise<Receiver> {
  const received: Received[] = [];
  let n = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const outcome = fail(++n);
      if (outcome === 'drop') return req.socket.destroy();
      if (outcome === '503') {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
        return;
      }
      received.push({
        body,
        event: JSON.parse(body) as Received['event'],
        signature: req.headers['x-orchestrator-signature-256'] as string | undefined,
      });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${address.port}/hooks/orchestrator`,
    received,
    requests: () => n,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** `events.webhook` pointed at a receiver, appended to a workspace's config text. */
export const withWebhook = (url: string) => (yaml: string) => `${yaml}\nevents:\n  webhook:\n    url: ${url}\n`;
