/** Chat Completions answers: a JSON completion, an SSE stream of chunks (tool calls in deltas), and errors in OpenAI's envelope. */
import type { ServerResponse } from 'node:http';
import {
  inputText,
  jsonReplyDue,
  pause,
  promptUsage,
  retryHeaders,
  split,
  stopReasonOf,
  streamFrames,
  type CachedPromptExchange,
  type HttpFault,
  type Interruption,
} from '../modelApi/wire';
import type { ScriptBlock, ScriptedReply } from '../messagesApi/types';

export interface ChatExchange extends CachedPromptExchange {
  includeUsage: boolean;
  nextCallId: () => string;
}

export interface ChatHttpError {
  status: number;
  message: string;
  type: string;
  code?: string | null;
  headers?: Record<string, string>;
}

export function chatErrorFor(fault: HttpFault): ChatHttpError {
  switch (fault.kind) {
    case 'rate-limit':
      return {
        status: 429,
        type: 'requests',
        code: 'rate_limit_exceeded',
        message: 'Rate limit reached for requests per min (RPM): Limit 500, Used 500, Requested 1.',
        headers: retryHeaders(fault),
      };
    case 'overloaded':
      return { status: 503, type: 'server_error', code: null, message: 'The server is overloaded or not ready yet.' };
    case 'server-error':
      return {
        status: 500,
        type: 'server_error',
        code: null,
        message: 'The server had an error while processing your request.',
      };
    case 'auth':
      return {
        status: 401,
        type: 'invalid_request_error',
        code: 'invalid_api_key',
        message: 'Incorrect API key provided.',
      };
    case 'spend-limit':
      return {
        status: 429,
        type: 'insufficient_quota',
        code: 'insufficient_quota',
        message: 'You exceeded your current quota, please check your plan and billing details.',
      };
    case 'http-error':
      return {
        status: fault.status,
        type: fault.type,
        code: null,
        message: fault.message,
        ...(fault.headers ? { headers: fault.headers } : {}),
      };
  }
}

export function sendChatError(res: ServerResponse, requestId: string, error: ChatHttpError): void {
  res.writeHead(error.status, { 'content-type': 'application/json', 'x-request-id': requestId, ...error.headers });
  res.end(
    JSON.stringify({ error: { message: error.message, type: error.type, param: null, code: error.code ?? null } }),
  );
}

/** A 400 invalid_request_error in OpenAI's envelope (Chat Completions and Responses alike), with its `code` when given. */
export const sendBadRequest = (res: ServerResponse, requestId: string, message: string, code?: string): void =>
  sendChatError(res, requestId, { status: 400, type: 'invalid_request_error', message, ...(code ? { code } : {}) });

const finishReasonOf = (reply: ScriptedReply): string =>
  (({ tool_use: 'tool_calls', max_tokens: 'length', refusal: 'content_filter' }) as Record<string, string>)[
    stopReasonOf(reply)
  ] ?? 'stop';

function usageOf(ex: ChatExchange, reply: ScriptedReply) {
  const { prompt, cached, output } = promptUsage(ex, reply);
  return {
    prompt_tokens: prompt,
    completion_tokens: output,
    total_tokens: prompt + output,
    prompt_tokens_details: { cached_tokens: cached },
  };
}

interface WireCall {
  id: string;
  name: string;
  arguments: string;
}

const callsOf = (ex: ChatExchange, blocks: ScriptBlock[]): WireCall[] =>
  blocks.flatMap((b) =>
    b.type === 'tool_use' ? [{ id: b.id ?? ex.nextCallId(), name: b.name, arguments: inputText(b.input) }] : [],
  );
const textOf = (blocks: ScriptBlock[]): string => blocks.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');

export async function sendChatJson(ex: ChatExchange, reply: ScriptedReply): Promise<void> {
  if (!(await jsonReplyDue(ex, reply))) return;
  const calls = callsOf(ex, reply.content);
  const message = {
    role: 'assistant',
    content: textOf(reply.content) || null,
    ...(calls.length > 0
      ? {
          tool_calls: calls.map((c) => ({
            id: c.id,
            type: 'function',
            function: { name: c.name, arguments: c.arguments },
          })),
        }
      : {}),
  };
  ex.responseStarted?.();
  ex.res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': ex.requestId });
  ex.res.end(
    JSON.stringify({
      id: `chatcmpl-${ex.requestId}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: reply.model ?? ex.model,
      choices: [{ index: 0, message, finish_reason: finishReasonOf(reply), logprobs: null }],
      usage: usageOf(ex, reply),
    }),
  );
}

/** Content chunks are counted by `afterContentEvents` (0: only the role chunk); an in-stream error is a `data: {"error": …}` chunk. */
export async function sendChatStream(
  ex: ChatExchange,
  reply: ScriptedReply,
  interruption?: Interruption,
): Promise<void> {
  if (!(await pause(reply.beforeMs, ex.gone))) return;
  const base = {
    id: `chatcmpl-${ex.requestId}`,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: reply.model ?? ex.model,
  };
  const chunk = (delta: object, finish: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  });
  const head = [chunk({ role: 'assistant', content: '' })];
  const body: object[] = split(textOf(reply.content), 3).map((content) => chunk({ content }));
  callsOf(ex, reply.content).forEach((call, index) => {
    body.push(
      chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }),
    );
    for (const piece of split(call.arguments, 4))
      body.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  const tail: object[] = [chunk({}, finishReasonOf(reply))];
  if (ex.includeUsage) tail.push({ ...base, choices: [], usage: usageOf(ex, reply) });
  const events = interruption
    ? [...head, ...body.slice(0, interruption.afterContentEvents)]
    : [...head, ...body, ...tail];
  const frames = events.map((event) => `data: ${JSON.stringify(event)}\n\n`);
  if (
    !(await streamFrames(ex, reply, frames, head.length + body.length + tail.length, { 'x-request-id': ex.requestId }))
  )
    return;
  if (!interruption) {
    ex.res.end('data: [DONE]\n\n');
  } else if (interruption.how === 'drop') {
    ex.res.socket?.destroy();
  } else {
    const message =
      interruption.how === 'overloaded_error'
        ? 'The server is overloaded or not ready yet.'
        : 'The server had an error while processing your request.';
    ex.res.end(`data: ${JSON.stringify({ error: { message, type: 'server_error', param: null, code: null } })}\n\n`);
  }
}
