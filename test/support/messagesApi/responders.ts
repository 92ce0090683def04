/** Messages API answers: a JSON message, its SSE stream (message_start … message_stop), and errors in Anthropic's envelope. */
import type { ServerResponse } from 'node:http';
import {
  jsonReplyDue,
  pause,
  retryHeaders,
  split,
  stopReasonOf,
  streamFrames,
  type BaseExchange,
  type HttpFault,
  type Interruption,
} from '../modelApi/wire';
import { outputTokensFor, type InputUsage } from './usageModel';
import type { ScriptBlock, ScriptedReply, SpendLimitVariant } from './types';

/** What a responder needs to know about the exchange it answers. */
export interface Exchange extends BaseExchange {
  inputUsage: InputUsage;
  nextToolId: () => string;
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
    message:
      'Your organization has reached the monthly usage limit of its API tier. API access resumes on the first day of next month at 00:00 UTC.',
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
    message:
      'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
  },
};

export function httpErrorFor(fault: HttpFault): HttpError {
  switch (fault.kind) {
    case 'rate-limit':
      return {
        status: 429,
        type: 'rate_limit_error',
        message: 'This request would exceed the rate limit for your organization of 50,000 input tokens per minute.',
        headers: retryHeaders(fault),
      };
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

export function sendHttpError(res: ServerResponse, requestId: string, error: HttpError): void {
  const body = JSON.stringify(errorBody(error.type, error.message, requestId, error.details));
  res.writeHead(error.status, { 'content-type': 'application/json', 'request-id': requestId, ...error.headers });
  res.end(body);
}

/** The final usage of a reply: computed input/cache numbers and output estimate, then overrides. */
function usageOf(ex: Exchange, reply: ScriptedReply) {
  return { ...ex.inputUsage, output_tokens: outputTokensFor(reply.content), ...reply.usage };
}

type WireBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown; caller: { type: 'direct' } };

const toWire = (ex: Exchange, blocks: ScriptBlock[]): WireBlock[] =>
  blocks.map((b) =>
    b.type === 'text'
      ? { type: 'text', text: b.text }
      : { type: 'tool_use', id: b.id ?? ex.nextToolId(), name: b.name, input: b.input, caller: { type: 'direct' } },
  );

function messageEnvelope(
  ex: Exchange,
  reply: ScriptedReply,
  content: WireBlock[],
  stopReason: string | null,
  usage: object,
) {
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
  if (!(await jsonReplyDue(ex, reply))) return;
  const message = messageEnvelope(
    ex,
    reply,
    toWire(ex, reply.content),
    stopReasonOf(reply),
    fullUsage(usageOf(ex, reply)),
  );
  ex.responseStarted?.();
  ex.res.writeHead(200, { 'content-type': 'application/json', 'request-id': ex.requestId });
  ex.res.end(JSON.stringify(message));
}

/** The content_block_* events of one block: start, several deltas, stop. */
function blockEvents(block: WireBlock, index: number): object[] {
  if (block.type === 'text') {
    const pieces = split(block.text, 3);
    return [
      { type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
      ...(pieces.length > 0 ? pieces : ['']).map((text) => ({
        type: 'content_block_delta',
        index,
        delta: { type: 'text_delta', text },
      })),
      { type: 'content_block_stop', index },
    ];
  }
  const json = JSON.stringify(block.input);
  return [
    { type: 'content_block_start', index, content_block: { ...block, input: {} } },
    // The API opens tool input with an empty fragment, then sends the JSON in pieces.
    ...['', ...split(json, 4)].map((partial_json) => ({
      type: 'content_block_delta',
      index,
      delta: { type: 'input_json_delta', partial_json },
    })),
    { type: 'content_block_stop', index },
  ];
}

export async function sendStreamReply(ex: Exchange, reply: ScriptedReply, interruption?: Interruption): Promise<void> {
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
  const events = interruption
    ? [...head, ...body.slice(0, interruption.afterContentEvents)]
    : [...head, ...body, ...tail];
  const frames = events.map(
    (event) => `event: ${(event as { type: string }).type}\ndata: ${JSON.stringify(event)}\n\n`,
  );
  if (!(await streamFrames(ex, reply, frames, head.length + body.length + tail.length, { 'request-id': ex.requestId })))
    return;
  if (!interruption) {
    ex.res.end();
  } else if (interruption.how === 'drop') {
    ex.res.socket?.destroy();
  } else {
    const error = errorBody(
      interruption.how,
      interruption.how === 'overloaded_error' ? 'Overloaded' : 'Internal server error',
      ex.requestId,
    );
    ex.res.end(`event: error\ndata: ${JSON.stringify(error)}\n\n`);
  }
}
