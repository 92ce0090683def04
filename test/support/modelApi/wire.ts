/**
 * What every model-API encoder writes alike (Messages, Chat Completions, Responses, Gemini):
 * the exchange it answers, pacing that ends when the client goes away, text cut into stream
 * pieces, SSE frames written one by one, and the prompt usage of the OpenAI-style prefix cache.
 */
import type { ServerResponse } from 'node:http';
import { outputTokensFor } from '../messagesApi/usageModel';
import type { ScriptedFault, ScriptedReply } from '../messagesApi/types';

/** What an encoder needs to know about the exchange it answers. */
export interface BaseExchange {
  res: ServerResponse;
  /** Aborted when the client closes the connection or the server shuts down. */
  gone: AbortSignal;
  stream: boolean;
  model: string;
  requestId: string;
  /** Told when the response begins (the first SSE event, or a JSON body): the cache model's cue. */
  responseStarted?: () => void;
}

/** An exchange priced by the prefix cache (chatCompletions/prefixCache.ts). */
export interface CachedPromptExchange extends BaseExchange {
  /** The whole prompt, cached part included. */
  promptTokens: number;
  cachedTokens: number;
}

/** How a scripted stream ends early. */
export interface Interruption {
  /** Content events sent before the interruption (0: only the stream's opening events). */
  afterContentEvents: number;
  /** 'drop' destroys the socket; otherwise the protocol's in-stream error of that kind ends it. */
  how: 'drop' | 'overloaded_error' | 'api_error';
}

/** A fault answered as an HTTP error (not a stream cut short). */
export type HttpFault = Exclude<ScriptedFault, { kind: 'drop' | 'stream-error' }>;

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

/** A JSON reply's wait before its body: beforeMs + streamMs, as long as the stream would take. False when the client left. */
export const jsonReplyDue = (ex: BaseExchange, reply: ScriptedReply): Promise<boolean> =>
  pause((reply.beforeMs ?? 0) + (reply.streamMs ?? 0), ex.gone);

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

/** About `parts` non-empty pieces of `text` (none for an empty text). */
export function split(text: string, parts: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / parts));
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}

/** A tool call's input as the text OpenAI-style wires carry. */
export const inputText = (input: unknown): string => (typeof input === 'string' ? input : JSON.stringify(input));

/** The headers of a rate-limit fault's retry hints. */
export function retryHeaders(fault: { retryAfterMs?: number; retryAfterSeconds?: number }): Record<string, string> {
  const headers: Record<string, string> = {};
  if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
  if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
  return headers;
}

/**
 * Opens a 200 SSE stream and writes `frames` one by one, paced so the whole reply (`total`
 * events, of which an interrupted stream sends only some) keeps its pace; the response has begun
 * at the first. False when the client left before the last frame.
 */
export async function streamFrames(
  ex: BaseExchange,
  reply: ScriptedReply,
  frames: string[],
  total: number,
  headers: Record<string, string> = {},
): Promise<boolean> {
  ex.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
  const gapMs = (reply.betweenMs ?? 0) + (reply.streamMs ?? 0) / Math.max(1, total - 1);
  for (const [i, frame] of frames.entries()) {
    if (i > 0 && !(await pause(gapMs, ex.gone))) return false;
    if (ex.gone.aborted) return false;
    if (i === 0) ex.responseStarted?.();
    // Wait for each write to reach the socket so a later drop cannot swallow it.
    await written(ex, frame);
  }
  return true;
}

/** A reply's usage on an OpenAI-style wire: computed from the prefix cache, or a script's Messages-API overrides (input_tokens excludes cached tokens there; the prompt includes them here). */
export function promptUsage(
  ex: CachedPromptExchange,
  reply: ScriptedReply,
): { prompt: number; cached: number; output: number } {
  const u = reply.usage ?? {};
  const output = u.output_tokens ?? outputTokensFor(reply.content);
  const cached = u.cache_read_input_tokens ?? (u.input_tokens !== undefined ? 0 : ex.cachedTokens);
  const prompt =
    u.input_tokens !== undefined ? u.input_tokens + (u.cache_creation_input_tokens ?? 0) + cached : ex.promptTokens;
  return { prompt, cached: Math.min(cached, prompt), output };
}

/** The Messages-API stop reason of a reply: as scripted, or tool_use when it calls a tool, else end_turn. */
export const stopReasonOf = (reply: ScriptedReply): string =>
  reply.stop_reason ?? (reply.content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
