import type {
  ContentBlockParam,
  MessageParam,
  TextBlockParam,
  Tool,
} from '@anthropic-ai/sdk/resources/messages/messages';
import type { ModelRequest } from '../types';
import { toWireMessage, toWireTool } from './messages';

/** The API accepts at most four cache_control breakpoints per request. */
export const MAX_CACHE_BREAKPOINTS = 4;

const EPHEMERAL = { type: 'ephemeral' } as const;

export interface CachedPrompt {
  system: TextBlockParam[];
  tools: Tool[];
  messages: MessageParam[];
}

function withLastBlockMarked(message: MessageParam): MessageParam {
  const blocks = message.content as ContentBlockParam[];
  const last = blocks.length - 1;
  return {
    ...message,
    content: blocks.map((b, j) => (j === last ? ({ ...b, cache_control: EPHEMERAL } as ContentBlockParam) : b)),
  } as MessageParam;
}

/**
 * The request in the Messages API's shapes, with the stable prefix marked for prompt caching:
 * the last tool, the shared block (sent as the first system block), the system block, the
 * context block (sent after it), and the last block of the latest user message, so the next
 * turn reads the whole conversation so far from the cache. With a shared block the tools get
 * no breakpoint of their own (the shared block's covers them), so the total never exceeds four.
 */
export function withCacheBreakpoints(
  request: Pick<ModelRequest, 'shared' | 'system' | 'context' | 'tools' | 'messages'>,
): CachedPrompt {
  const markTools = !request.shared;
  const tools = request.tools.map((tool, i, all): Tool =>
    markTools && i === all.length - 1 ? { ...toWireTool(tool), cache_control: EPHEMERAL } : toWireTool(tool),
  );

  const system: TextBlockParam[] = [];
  // Empty text blocks are rejected by the API, so an empty prompt or context is left out.
  if (request.shared) system.push({ type: 'text', text: request.shared, cache_control: EPHEMERAL });
  if (request.system) system.push({ type: 'text', text: request.system, cache_control: EPHEMERAL });
  if (request.context) system.push({ type: 'text', text: request.context, cache_control: EPHEMERAL });

  const lastUser = request.messages.map((m) => m.role).lastIndexOf('user');
  // Every message is sent as blocks, so a turn's bytes stay identical when it later stops
  // being the latest one and the cached prefix still matches.
  const messages = request.messages.map((message, i) =>
    i === lastUser ? withLastBlockMarked(toWireMessage(message)) : toWireMessage(message),
  );

  const prompt = { system, tools, messages };
  const count = countCacheBreakpoints(prompt);
  if (count > MAX_CACHE_BREAKPOINTS)
    throw new Error(`internal error: ${count} cache breakpoints (the API allows ${MAX_CACHE_BREAKPOINTS})`);
  return prompt;
}

const marked = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && (value as { cache_control?: unknown }).cache_control != null;

/** How many cache_control breakpoints a prompt carries (tools, system blocks, message blocks). */
export function countCacheBreakpoints(prompt: {
  system?: unknown;
  tools?: readonly unknown[];
  messages: readonly MessageParam[];
}): number {
  const systemBlocks = Array.isArray(prompt.system) ? prompt.system : [];
  const messageBlocks = prompt.messages.flatMap((m) => (typeof m.content === 'string' ? [] : (m.content as unknown[])));
  return [...(prompt.tools ?? []), ...systemBlocks, ...messageBlocks].filter(marked).length;
}
