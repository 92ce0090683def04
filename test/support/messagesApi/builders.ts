import type Anthropic from '@anthropic-ai/sdk';
import type {
  Pacing,
  RecordedRequest,
  Script,
  ScriptBlock,
  Scripted,
  ScriptedFault,
  ScriptedReply,
  SpendLimitVariant,
  UsageOverrides,
} from './types';

interface ReplyOptions extends Pacing {
  usage?: UsageOverrides;
  model?: string;
}

export const block = {
  text: (text: string): ScriptBlock => ({ type: 'text', text }),
  toolUse: (name: string, input: unknown, id?: string): ScriptBlock => ({
    type: 'tool_use',
    name,
    input,
    ...(id ? { id } : {}),
  }),
};

export const reply = {
  /** A plain text answer ending the turn. */
  text: (text: string, options: ReplyOptions = {}): ScriptedReply => ({
    kind: 'reply',
    content: [block.text(text)],
    ...options,
  }),
  /** One tool call (stop_reason tool_use). */
  toolUse: (name: string, input: unknown, options: ReplyOptions & { id?: string } = {}): ScriptedReply => {
    const { id, ...rest } = options;
    return { kind: 'reply', content: [block.toolUse(name, input, id)], ...rest };
  },
  /** Any mix of blocks; strings become text blocks. stop_reason defaults from the blocks. */
  turn: (
    blocks: (ScriptBlock | string)[],
    stop_reason?: Anthropic.Messages.StopReason,
    options: ReplyOptions = {},
  ): ScriptedReply => ({
    kind: 'reply',
    content: blocks.map((b) => (typeof b === 'string' ? block.text(b) : b)),
    ...(stop_reason ? { stop_reason } : {}),
    ...options,
  }),
  /** The same reply, delivered slowly. */
  slow: (base: ScriptedReply, pacing: Pacing): ScriptedReply => ({ ...base, ...pacing }),
};

const defaultPartial = (): ScriptedReply => reply.text('partial output that never finishes');

export const fault = {
  /** 429 rate_limit_error; give `retryAfterMs` (retry-after-ms header) and/or `retryAfterSeconds` (retry-after). */
  rateLimit: (retry: { retryAfterMs?: number; retryAfterSeconds?: number } = {}): ScriptedFault => ({
    kind: 'rate-limit',
    ...retry,
  }),
  overloaded: (): ScriptedFault => ({ kind: 'overloaded' }),
  serverError: (): ScriptedFault => ({ kind: 'server-error' }),
  auth: (): ScriptedFault => ({ kind: 'auth' }),
  spendLimit: (variant: SpendLimitVariant = 'enforced'): ScriptedFault => ({ kind: 'spend-limit', variant }),
  httpError: (status: number, type: string, message: string, headers?: Record<string, string>): ScriptedFault => ({
    kind: 'http-error',
    status,
    type,
    message,
    headers,
  }),
  /** Drop the connection after N content_block_* events (0 = before any content). */
  drop: (afterContentEvents = 0, partial: ScriptedReply = defaultPartial()): ScriptedFault => ({
    kind: 'drop',
    afterContentEvents,
    reply: partial,
  }),
  /** An `error` event inside a 200 stream after N content_block_* events. */
  streamError: (
    afterContentEvents = 0,
    errorType: 'overloaded_error' | 'api_error' = 'overloaded_error',
    partial: ScriptedReply = defaultPartial(),
  ): ScriptedFault => ({
    kind: 'stream-error',
    afterContentEvents,
    errorType,
    reply: partial,
  }),
};

/** Answers the n-th request with the n-th item; running out is a test bug and fails loudly. */
export function sequence(...items: Scripted[]): Script {
  let next = 0;
  return () => {
    const item = items[next++];
    if (!item) throw new Error(`script exhausted: only ${items.length} replies were scripted`);
    return item;
  };
}

/** All text of the system prompt (string or blocks), joined with newlines. */
export function systemText(req: RecordedRequest): string {
  const system = req.body.system;
  if (!system) return '';
  return typeof system === 'string' ? system : system.map((b) => b.text).join('\n');
}

/** The last user message's blocks (string content becomes one text block). */
export function lastUserContent(req: RecordedRequest): Anthropic.Messages.ContentBlockParam[] {
  const last = [...req.body.messages].reverse().find((m) => m.role === 'user');
  if (!last) return [];
  return typeof last.content === 'string'
    ? [{ type: 'text', text: last.content }]
    : (last.content as Anthropic.Messages.ContentBlockParam[]);
}

/** The tool_result blocks of the last user message, with their text flattened. */
export function lastToolResults(req: RecordedRequest): { tool_use_id: string; is_error: boolean; text: string }[] {
  return lastUserContent(req)
    .filter((b): b is Anthropic.Messages.ToolResultBlockParam => b.type === 'tool_result')
    .map((b) => ({
      tool_use_id: b.tool_use_id,
      is_error: b.is_error === true,
      text:
        typeof b.content === 'string' ? b.content : (b.content ?? []).map((c) => ('text' in c ? c.text : '')).join(''),
    }));
}

/**
 * Routes each request to a per-agent script: the first marker found in the system prompt
 * (or context block) names the agent. Each script gets its own 0-based index, so a pipeline
 * test can script every agent's conversation separately even when agents run in parallel.
 */
export function routeByMarker(scripts: Record<string, Script>, fallback?: Script): Script {
  const counts = new Map<string, number>();
  return (req, index) => {
    const text = systemText(req);
    const marker = Object.keys(scripts).find((m) => text.includes(m));
    if (marker === undefined) {
      if (fallback) return fallback(req, index);
      throw new Error(
        `no agent marker (${Object.keys(scripts).join(', ')}) in the system prompt: ${text.slice(0, 120)}`,
      );
    }
    const n = counts.get(marker) ?? 0;
    counts.set(marker, n + 1);
    return scripts[marker]!(req, n);
  };
}

/** Which of `markers` the request's system prompt contains first in the list, if any. */
export function agentOf(req: RecordedRequest, markers: string[]): string | undefined {
  const text = systemText(req);
  return markers.find((m) => text.includes(m));
}

/** The credential a request carried: `x-api-key`, or a Bearer token (the SDK's default for apiKey). */
export function apiKeyOf(req: RecordedRequest): string | undefined {
  const bearer = /^Bearer (.+)$/i.exec(req.headers['authorization'] ?? '')?.[1];
  return req.headers['x-api-key'] ?? bearer;
}

/** The text of each tool output a CLI sent back in this request (its shell's, its file tools'). */
export function toolOutputs(req: RecordedRequest): string[] {
  return lastToolResults(req).map((r) => r.text);
}

/** The last text a CLI sent as the user's (our prompt, or what a resume said; what the CLI puts before it in the same message set aside). */
export function lastUserText(req: RecordedRequest): string {
  const last = [...req.body.messages]
    .reverse()
    .find((m) => m.role === 'user' && Array.isArray(m.content) && m.content.some((b) => b.type === 'text'));
  if (!last || !Array.isArray(last.content)) return '';
  return last.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).at(-1) ?? '';
}
