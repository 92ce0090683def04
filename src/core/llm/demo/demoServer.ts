/**
 * The demo's model server: a local HTTP server in this process speaking the Messages API
 * (streamed, as the Anthropic client asks), answered by the demo script. It listens on
 * 127.0.0.1 only, answers only requests with its own Host, no browser Origin and its own
 * random key, and bounds what it reads. One per process, started on first use, never keeping
 * the process alive.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoReply, type DemoRequest } from './demoScript';

const MAX_BODY = 32 * 1024 * 1024;

export interface DemoServer {
  url: string;
  apiKey: string;
}

let running: Promise<DemoServer> | undefined;

export function demoServer(): Promise<DemoServer> {
  running ??= start();
  return running;
}

async function start(): Promise<DemoServer> {
  const apiKey = `demo-${randomBytes(16).toString('hex')}`;
  let host = '';
  let ids = 0;
  const server = createServer((req, res) => {
    void answer(req, res).catch((error: unknown) =>
      fail(res, 500, 'api_error', error instanceof Error ? error.message : String(error)),
    );
  });

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.headers.host !== host || req.headers.origin !== undefined)
      return fail(res, 403, 'permission_error', 'not from this process');
    if (req.headers['x-api-key'] !== apiKey && req.headers.authorization !== `Bearer ${apiKey}`)
      return fail(res, 401, 'authentication_error', 'invalid x-api-key');
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/messages')
      return fail(res, 404, 'not_found_error', `Not found: ${req.method} ${req.url}`);
    const body = await readBody(req);
    if (body === undefined) return fail(res, 413, 'request_too_large', 'request body too large');
    let request: DemoRequest & { model?: string; stream?: boolean };
    try {
      request = JSON.parse(body) as typeof request;
    } catch {
      return fail(res, 400, 'invalid_request_error', 'request body is not valid JSON');
    }
    const reply = demoReply(request);
    if ('error' in reply) return fail(res, 400, 'invalid_request_error', reply.error);
    const id = ++ids;
    const content = reply.content.map((block, i) =>
      block.type === 'tool_use' ? { ...block, id: `toolu_demo${id}_${i}` } : block,
    );
    const usage = {
      input_tokens: Math.ceil(body.length / 4),
      output_tokens: Math.ceil(JSON.stringify(content).length / 4),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    };
    const message = {
      id: `msg_demo${id}`,
      type: 'message',
      role: 'assistant',
      model: request.model ?? 'scripted',
      content,
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage,
    };
    if (request.stream !== true) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(message));
      return;
    }
    const blockEvents = (block: (typeof content)[number], index: number): object[] =>
      block.type === 'text'
        ? [
            { type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
            { type: 'content_block_delta', index, delta: { type: 'text_delta', text: block.text } },
            { type: 'content_block_stop', index },
          ]
        : [
            { type: 'content_block_start', index, content_block: { ...block, input: {} } },
            {
              type: 'content_block_delta',
              index,
              delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) },
            },
            { type: 'content_block_stop', index },
          ];
    const events: object[] = [
      {
        type: 'message_start',
        message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } },
      },
      ...content.flatMap(blockEvents),
      { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage },
      { type: 'message_stop' },
    ];
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.end(
      events.map((event) => `event: ${(event as { type: string }).type}\ndata: ${JSON.stringify(event)}\n\n`).join(''),
    );
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  server.unref();
  const { port } = server.address() as AddressInfo;
  host = `127.0.0.1:${port}`;
  return { url: `http://${host}`, apiKey };
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        req.destroy();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function fail(res: ServerResponse, status: number, type: string, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ type: 'error', error: { type, message } }));
}
