import type { ServerResponse } from 'node:http';
import { outputTokensFor, type InputUsage } from './usageModel';
import type { ScriptBlock, ScriptedFault, ScriptedReply, SpendLimitVariant } from './types';

/** What a responder needs to know about the exchange it answers. */
export interface Exchange {
  res: ServerResponse;
  /** Aborted when the client closes the connection or the server shuts down. */
  gone: AbortSignal;
  stream: boolean;
  model: string;
  requestId: string;
  inputUsage: InputUsage;
  /** Told when the response begins (message_start, or a JSON body): the cache model's cue. */
  responseStarted?: () => void;
  nextToolId: () => string;
}

/** Resolves true after `ms`, or false as soon as the client is gone. */
export function pause(ms: number | undefined, gone: AbortSignal): Promise<boolean> {
  if (gone.aborted) return Promise.resolve(false);
  if (!ms) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onGone = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      gone.removeEventListener('abort', onGone);
      resolve(true);
    }, ms);
    gone.addEventListener('abort', onGone, { once: true });
  });
}

interface HttpError {
  status: number;
  type: string;
  message: string;
  headers?: Record<string, string>;
  details?: Record<string, string>;
}

const spendLimitErrors: Record<SpendLimitVariant, HttpError> = {
  enforced: {
    status: 429,
    type: 'rate_limit_error',
    message: 'Your organization has reached the monthly usage limit of its API tier. API access resumes on the first day of next month at 00:00 UTC.',
    details: { error_code: 'enforced_spend_limit_reached' },
  },
  'usage-limit': {
    status: 400,
    type: 'invalid_request_error',
    message: 'You have reached your specified API usage limits. You will regain access on 2099-01-01 at 00:00 UTC.',
  },
  'credit-balance': {
    status: 400,
    type: 'invalid_request_error',
    message: 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
  },
};

export function httpErrorFor(fault: Exclude<ScriptedFault, { kind: 'drop' | 'stream-error' }>): HttpError {
  switch (fault.kind) {
    case 'rate-limit': {
      const headers: Record<string, string> = {};
      if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      return { status: 429, type: 'rate_limit_error', message: 'This request would exceed the rate limit for your organization of 50,000 input tokens per minute.', headers };
    }
    case 'overloaded':
      return { status: 529, type: 'overloaded_error', message: 'Overloaded' };
    case 'server-error':
      return { status: 500, type: 'api_error', message: 'Internal server error' };
    case 'auth':
      return { status: 401, type: 'authentication_error', message: 'invalid x-api-key' };
    case 'spend-limit':
      return spendLimitErrors[fault.variant];
    case 'http-error':
      return { status: fault.status, type: fault.type, message: fault.message, headers: fault.headers };
  }
}

const errorBody = (type: string, message: string, requestId: string, details?: Record<string, string>): object => ({
  type: 'error',
  error: details ? { type, message, details } : { type, message },
  request_id: requestId,
});

export function sendHttpError(ex: Exchange, error: HttpError): void {
  const body = JSON.stringify(errorBody(error.type, error.message, ex.requestId, error.details));
  ex.res.writeHead(error.status, { 'content-type': 'application/json', 'request-id': ex.requestId, ...error.headers });
  ex.res.end(body);
}

function stopReasonOf(reply: ScriptedReply): string {
  return reply.stop_reason ?? (reply.content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
}

/** The final usage of a reply: computed input/cache numbers and output estimate, then overrides. */
function usageOf(ex: Exchange, reply: ScriptedReply) {
  return { ...ex.inputUsage, output_tokens: outputTokensFor(reply.content), ...reply.usage };
}

type WireBlock = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown; caller: { type: 'direct' } };

const toWire = (ex: Exchange, blocks: ScriptBlock[]): WireBlock[] =>
  blocks.map((b) =>
    b.type === 'text' ? { type: 'text', text: b.text } : { type: 'tool_use', id: b.id ?? ex.nextToolId(), name: b.name, input: b.input, caller: { type: 'direct' } },
  );

function messageEnvelope(ex: Exchange, reply: ScriptedReply, content: WireBlock[], stopReason: string | null, usage: object) {
  return {
    id: `msg_${ex.requestId.slice(4)}`,
    type: 'message',
    role: 'assistant',
    model: reply.model ?? ex.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage,
  };
}

const fullUsage = (u: ReturnType<typeof usageOf>) => ({
  ...u,
  cache_creation: { ephemeral_5m_input_tokens: u.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 },
  service_tier: 'standard',
});

export async function sendJsonReply(ex: Exchange, reply: ScriptedReply): Promise<void> {
  if (!(await pause((reply.beforeMs ?? 0) + (reply.streamMs ?? 0), ex.gone))) return;
  const message = messageEnvelope(ex, reply, toWire(ex, reply.content), stopReasonOf(reply), fullUsage(usageOf(ex, reply)));
  ex.responseStarted?.();
  ex.res.writeHead(200, { 'content-type': 'application/json', 'request-id': ex.requestId });
  ex.res.end(JSON.stringify(message));
}

/** Splits a string into about `parts` non-empty pieces (fewer when it is shorter). */
function split(text: string, parts: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / parts));
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces.length > 0 ? pieces : [''];
}

/** The content_block_* events of one block: start, several deltas, stop. */
function blockEvents(block: WireBlock, index: number): object[] {
  if (block.type === 'text') {
    return [
      { type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
      ...split(block.text, 3).map((text) => ({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } })),
      { type: 'content_block_stop', index },
    ];
  }
  const json = JSON.stringify(block.input);
  return [
    { type: 'content_block_start', index, content_block: { ...block, input: {} } },
    // The API opens tool input with an empty fragment, then sends the JSON in pieces.
    ...['', ...split(json, 4)].map((partial_json) => ({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } })),
    { type: 'content_block_stop', index },
  ];
}

export interface StreamInterruption {
  afterContentEvents: number;
  /** 'drop' destroys the socket; otherwise an SSE `error` event of that type ends the stream. */
  how: 'drop' | 'overloaded_error' | 'api_error';
}

export async function sendStreamReply(ex: Exchange, reply: ScriptedReply, interruption?: StreamInterruption): Promise<void> {
  if (!(await pause(reply.beforeMs, ex.gone))) return;
  const usage = usageOf(ex, reply);
  const content = toWire(ex, reply.content);
  const startUsage = fullUsage({ ...usage, output_tokens: Math.min(1, usage.output_tokens) });
  const head = [{ type: 'message_start', message: messageEnvelope(ex, reply, [], null, startUsage) }, { type: 'ping' }];
  const body = content.flatMap((block, index) => blockEvents(block, index));
  const tail = [
    { type: 'message_delta', delta: { stop_reason: stopReasonOf(reply), stop_sequence: null }, usage: { ...usage } },
    { type: 'message_stop' },
  ];
  const events = interruption ? [...head, ...body.slice(0, interruption.afterContentEvents)] : [...head, ...body, ...tail];

  ex.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': ex.requestId });
  // The gaps of the whole reply, so an interrupted stream keeps the pace of the full one.
  const gapMs = (reply.betweenMs ?? 0) + (reply.streamMs ?? 0) / Math.max(1, head.length + body.length + tail.length - 1);
  for (const [i, event] of events.entries()) {
    if (i > 0 && !(await pause(gapMs, ex.gone))) return;
    if (ex.gone.aborted) return;
    const type = (event as { type: string }).type;
    if (type === 'message_start') ex.responseStarted?.();
    // Wait for each write to reach the socket so a later drop cannot swallow it.
    await written(ex, `event: ${type}\ndata: ${JSON.stringify(event)}\n\n`);
  }
  if (!interruption) {
    ex.res.end();
  } else if (interruption.how === 'drop') {
    ex.res.socket?.destroy();
  } else {
    const error = errorBody(interruption.how, interruption.how === 'overloaded_error' ? 'Overloaded' : 'Internal server error', ex.requestId);
    ex.res.end(`event: error\ndata: ${JSON.stringify(error)}\n\n`);
  }
}

/**
 * One write, waited until it reaches the socket (so a later drop cannot swallow it), or until the
 * client is gone: the callback of a write to a connection the client closed may never come.
 */
export function written(ex: { res: ServerResponse; gone: AbortSignal }, text: string): Promise<void> {
  return new Promise<void>((resolve) => {
    if (ex.gone.aborted) return resolve();
    ex.gone.addEventListener('abort', () => resolve(), { once: true });
    ex.res.write(text, () => resolve());
  });
}
