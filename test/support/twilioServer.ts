/**
 * A local server that speaks Twilio's Messages API (`POST /2010-04-01/Accounts/{sid}/Messages.json`,
 * form-encoded, HTTP basic auth with the account SID and auth token) as far as the portal uses it:
 * it records each message and answers 201 with a Message resource, or with Twilio's error JSON
 * for the next `failNext` requests (500) or a wrong login (401).
 */
import { createServer, type Server } from 'node:http';

export interface SentMessage {
  accountSid: string;
  to: string;
  from: string;
  body: string;
}

export interface TwilioServer {
  url: string;
  sent: SentMessage[];
  /** Requests answered with an error so far. */
  failed: number;
  failNext: number;
  close(): Promise<void>;
}

export async function startTwilioServer(accountSid: string, authToken: string): Promise<TwilioServer> {
  const state: Omit<TwilioServer, 'url' | 'close'> = { sent: [], failed: 0, failNext: 0 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const answer = (status: number, value: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      const path = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.url ?? '');
      if (!path || req.method !== 'POST')
        return answer(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
      if (
        req.headers.authorization !== `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}` ||
        path[1] !== accountSid
      ) {
        state.failed++;
        return answer(401, { code: 20003, message: 'Authenticate', status: 401 });
      }
      if (state.failNext > 0) {
        state.failNext--;
        state.failed++;
        return answer(500, { code: 20500, message: 'Internal Server Error', status: 500 });
      }
      const form = new URLSearchParams(body);
      const message = {
        accountSid: path[1]!,
        to: form.get('To') ?? '',
        from: form.get('From') ?? '',
        body: form.get('Body') ?? '',
      };
      state.sent.push(message);
      answer(201, {
        sid: `SM${String(state.sent.length).padStart(32, '0')}`,
        account_sid: accountSid,
        to: message.to,
        from: message.from,
        body: message.body,
        status: 'queued',
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
