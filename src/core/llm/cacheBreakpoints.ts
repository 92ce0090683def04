import type Anthropic from '@anthropic-ai/sdk';
import type { MessageParam, ModelRequest, ToolDefinition } from './types';

/** The API accepts at most four cache_control breakpoints per request. */
export const MAX_CACHE_BREAKPOINTS = 4;

const EPHEMERAL = { type: 'ephemeral' } as const;

type TextBlock = Anthropic.Messages.TextBlockParam;
type Block = Anthropic.Messages.ContentBlockParam;

export interface CachedPrompt {
  system: TextBlock[];
  tools: ToolDefinition[];
  messages: MessageParam[];
}

function withoutCacheControl<T extends object>(block: T): T {
  if (!('cache_control' in block)) return block;
  const { cache_control: _dropped, ...rest } = block as T & { cache_control?: unknown };
  return rest as T;
}

const blocksOf = (message: MessageParam): Block[] =>
  typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : (message.content as Block[]);

function withLastBlockMarked(message: MessageParam): MessageParam {
  const blocks = blocksOf(message);
  const last = blocks.length - 1;
  const content = blocks.map((b, j) => (j === last ? ({ ...b, cache_control: EPHEMERAL } as Block) : withoutCacheControl(b)));
  return { ...message, content } as MessageParam;
}

/**
 * Marks the stable prefix for prompt caching without touching the caller's objects: the
 * last tool, the shared block (sent as the first system block), the system block, the
 * context block (sent after it), and the last block of the latest user message, so the
 * next turn reads the whole conversation so far from the cache. With a shared block the
 * tools get no breakpoint of their own (the shared block's covers them), so the total never
 * exceeds four; breakpoints already present in the messages are removed first.
 */
export function withCacheBreakpoints(request: Pick<ModelRequest, 'shared' | 'system' | 'context' | 'tools' | 'messages'>): CachedPrompt {
  const markTools = !request.shared;
  const tools = request.tools.map((tool, i, all) => (markTools && i === all.length - 1 ? { ...tool, cache_control: EPHEMERAL } : withoutCacheControl(tool)));

  const system: TextBlock[] = [];
  // Empty text blocks are rejected by the API, so an empty prompt or context is left out.
  if (request.shared) system.push({ type: 'text', text: request.shared, cache_control: EPHEMERAL });
  if (request.system) system.push({ type: 'text', text: request.system, cache_control: EPHEMERAL });
  if (request.context) system.push({ type: 'text', text: request.context, cache_control: EPHEMERAL });

  const lastUser = request.messages.map((m) => m.role).lastIndexOf('user');
  // Every message is sent as blocks, so a turn's bytes stay identical when it later stops
  // being the latest one and the cached prefix still matches.
  const messages = request.messages.map((message, i): MessageParam => {
    if (i === lastUser) return withLastBlockMarked(message);
    return { ...message, content: blocksOf(message).map((b) => withoutCacheControl(b)) } as MessageParam;
  });

  const prompt = { system, tools, messages };
  const count = countCacheBreakpoints(prompt);
  if (count > MAX_CACHE_BREAKPOINTS) throw new Error(`internal error: ${count} cache breakpoints (the API allows ${MAX_CACHE_BREAKPOINTS})`);
  return prompt;
}

const marked = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && (value as { cache_control?: unknown }).cache_control != null;

/** How many cache_control breakpoints a prompt carries (tools, system blocks, message blocks). */
export function countCacheBreakpoints(prompt: { system?: unknown; tools?: readonly unknown[]; messages: readonly MessageParam[] }): number {
  const systemBlocks = Array.isArray(prompt.system) ? prompt.system : [];
  const messageBlocks = prompt.messages.flatMap((m) => (typeof m.content === 'string' ? [] : (m.content as unknown[])));
  return [...(prompt.tools ?? []), ...systemBlocks, ...messageBlocks].filter(marked).length;
}
