/** Chat Completions answers: a JSON completion, an SSE stream of chunks (tool calls in deltas), and errors in OpenAI's envelope. */
import type { ServerResponse } from 'node:http';
import { pause, written } from '../messagesApi/responders';
import { outputTokensFor } from '../messagesApi/usageModel';
import type { ScriptBlock, ScriptedFault, ScriptedReply } from '../messagesApi/types';

export interface ChatExchange {
  res: ServerResponse;
  gone: AbortSignal;
  stream: boolean;
  includeUsage: boolean;
  model: string;
  requestId: string;
  promptTokens: number;
  cachedTokens: number;
  /** Told when the response begins: the prefix cache's cue. */
  responseStarted?: () => void;
  nextCallId: () => string;
}

export interface ChatHttpError {
  status: number;
  message: string;
  type: string;
  code?: string | null;
  headers?: Record<string, string>;
}

export function chatErrorFor(fault: Exclude<ScriptedFault, { kind: 'drop' | 'stream-error' }>): ChatHttpError {
  switch (fault.kind) {
    case 'rate-limit': {
      const headers: Record<string, string> = {};
      if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      return { status: 429, type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests per min (RPM): Limit 500, Used 500, Requested 1.', headers };
    }
    case 'overloaded':
      return { status: 503, type: 'server_error', code: null, message: 'The server is overloaded or not ready yet.' };
    case 'server-error':
      return { status: 500, type: 'server_error', code: null, message: 'The server had an error while processing your request.' };
    case 'auth':
      return { status: 401, type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' };
    case 'spend-limit':
      return { status: 429, type: 'insufficient_quota', code: 'insufficient_quota', message: 'You exceeded your current quota, please check your plan and billing details.' };
    case 'http-error':
      return { status: fault.status, type: fault.type, code: null, message: fault.message, ...(fault.headers ? { headers: fault.headers } : {}) };
  }
}

export function sendChatError(res: ServerResponse, requestId: string, error: ChatHttpError): void {
  res.writeHead(error.status, { 'content-type': 'application/json', 'x-request-id': requestId, ...error.headers });
  res.end(JSON.stringify({ error: { message: error.message, type: error.type, param: null, code: error.code ?? null } }));
}

const finishReasonOf = (reply: ScriptedReply): string => {
  const stop = reply.stop_reason ?? (reply.content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
  return ({ tool_use: 'tool_calls', max_tokens: 'length', refusal: 'content_filter' } as Record<string, string>)[stop] ?? 'stop';
};

/** The usage chunk: computed, or a script's Messages-API usage overrides (input_tokens excludes cached tokens there, as cached_tokens is part of prompt_tokens here). */
function usageOf(ex: ChatExchange, reply: ScriptedReply) {
  const u = reply.usage ?? {};
  const completion = u.output_tokens ?? outputTokensFor(reply.content);
  const cached = u.cache_read_input_tokens ?? (u.input_tokens !== undefined ? 0 : ex.cachedTokens);
  const prompt = u.input_tokens !== undefined ? u.input_tokens + (u.cache_creation_input_tokens ?? 0) + cached : ex.promptTokens;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: { cached_tokens: Math.min(cached, prompt) } };
}

interface WireCall {
  id: string;
  name: string;
  arguments: string;
}

const callsOf = (ex: ChatExchange, blocks: ScriptBlock[]): WireCall[] =>
  blocks.flatMap((b) => (b.type === 'tool_use' ? [{ id: b.id ?? ex.nextCallId(), name: b.name, arguments: typeof b.input === 'string' ? b.input : JSON.stringify(b.input) }] : []));
const textOf = (blocks: ScriptBlock[]): string => blocks.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');

export async function sendChatJson(ex: ChatExchange, reply: ScriptedReply): Promise<void> {
  if (!(await pause((reply.beforeMs ?? 0) + (reply.streamMs ?? 0), ex.gone))) return;
  const calls = callsOf(ex, reply.content);
  const message = {
    role: 'assistant',
    content: textOf(reply.content) || null,
    ...(calls.length > 0 ? { tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) } : {}),
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

/** About `parts` non-empty pieces of `text`. */
function split(text: string, parts: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / parts));
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}

export interface ChatInterruption {
  /** Content chunks sent before the interruption (0: only the role chunk). */
  afterContentEvents: number;
  /** 'drop' destroys the socket; otherwise a `data: {"error": …}` chunk ends the stream. */
  how: 'drop' | 'overloaded_error' | 'api_error';
}

export async function sendChatStream(ex: ChatExchange, reply: ScriptedReply, interruption?: ChatInterruption): Promise<void> {
  if (!(await pause(reply.beforeMs, ex.gone))) return;
  const base = { id: `chatcmpl-${ex.requestId}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: reply.model ?? ex.model };
  const chunk = (delta: object, finish: string | null = null) => ({ ...base, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] });
  const head = [chunk({ role: 'assistant', content: '' })];
  const body: object[] = split(textOf(reply.content), 3).map((content) => chunk({ content }));
  callsOf(ex, reply.content).forEach((call, index) => {
    body.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (const piece of split(call.arguments, 4)) body.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  const tail: object[] = [chunk({}, finishReasonOf(reply))];
  if (ex.includeUsage) tail.push({ ...base, choices: [], usage: usageOf(ex, reply) });
  const events = interruption ? [...head, ...body.slice(0, interruption.afterContentEvents)] : [...head, ...body, ...tail];

  ex.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-request-id': ex.requestId });
  const gapMs = (reply.betweenMs ?? 0) + (reply.streamMs ?? 0) / Math.max(1, head.length + body.length + tail.length - 1);
  for (const [i, event] of events.entries()) {
    if (i > 0 && !(await pause(gapMs, ex.gone))) return;
    if (ex.gone.aborted) return;
    if (i === 0) ex.responseStarted?.();
    await written(ex, `data: ${JSON.stringify(event)}\n\n`);
  }
  if (!interruption) {
    ex.res.end('data: [DONE]\n\n');
  } else if (interruption.how === 'drop') {
    ex.res.socket?.destroy();
  } else {
    const message = interruption.how === 'overloaded_error' ? 'The server is overloaded or not ready yet.' : 'The server had an error while processing your request.';
    ex.res.end(`data: ${JSON.stringify({ error: { message, type: 'server_error', param: null, code: null } })}\n\n`);
  }
}
