/**
 * The engine's own model vocabulary: messages, tool definitions and calls, usage, stop
 * reasons. Every provider (src/core/llm/anthropic, src/core/llm/openai, the editor's models in
 * src/extension) maps its wire format to and from these; nothing outside a provider's folder
 * sees a provider's types.
 */

import type { Usage } from '../usage';

export { addUsage, emptyUsage, promptTokens, type Usage } from '../usage';

/** USD per million tokens. Cache write and read are derived from input unless given. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheWrite?: number;
  cacheRead?: number;
}

/** A price, possibly with a higher tier for long prompts. */
export interface TieredPrice extends ModelPrice {
  /** A higher rate for every token of a request whose prompt (input + cache) exceeds the threshold. */
  longPrompt?: { aboveTokens: number; price: ModelPrice };
}

export interface ResolvedPrice {
  /** The table entry (or family) that priced the model. */
  source: string;
  /** True when only the family name matched, so the figure is a guess. */
  estimated: boolean;
  price: TieredPrice;
}

/** A provider's own price list, by the provider's model name. */
export type BuiltInPrices = (model: string) => ResolvedPrice | undefined;

/** A tool the model may call; `inputSchema` is a JSON Schema object. */
export interface ToolDefinition {
  name: string;
  description: string;
  inputSchema: { type: 'object'; [key: string]: unknown };
}

export interface TextPart {
  type: 'text';
  text: string;
}

/** The model asks for a tool call; `id` pairs it with its result. */
export interface ToolCallPart {
  type: 'tool_call';
  id: string;
  name: string;
  /** As the model produced it: usually an object, anything when the model erred. */
  input: unknown;
}

export interface ToolResultPart {
  type: 'tool_result';
  callId: string;
  content: string;
  isError?: boolean;
}

/**
 * Something only the provider that produced it understands (e.g. a thinking block): kept in
 * the conversation and sent back unchanged to that provider, left out for any other.
 */
export interface OpaquePart {
  type: 'opaque';
  provider: string;
  value: unknown;
}

export type UserPart = TextPart | ToolResultPart;
export type AssistantPart = TextPart | ToolCallPart | OpaquePart;

export type Message = { role: 'user'; content: UserPart[] } | { role: 'assistant'; content: AssistantPart[] };

/**
 * Why the model stopped: it finished (`end`), it wants tool results (`tool_use`), it hit
 * `maxTokens`, it refused, or something the engine has no name for (`other`).
 */
export type StopReason = 'end' | 'tool_use' | 'max_tokens' | 'refusal' | 'other';

/** One request to the model: everything the agent loop decides, nothing the host owns. */
export interface ModelRequest {
  /** The model id as configured (`claude-…`, `openai:<model>`, `vscode-lm:<vendor>/<family>`), or a provider's own name once routed. */
  model: string;
  maxTokens: number;
  /**
   * Stable context several agents of a run send alike (the approved spec, the registry
   * entry, memory): sent first, so agents with the same tools and model read it from the
   * prompt cache one another wrote.
   */
  shared?: string;
  /** Stable instructions; providers with prompt caching mark the prefix. */
  system: string;
  /** Large stable context (context file, registry entry…) sent after the system prompt. */
  context?: string;
  tools: ToolDefinition[];
  messages: Message[];
  signal?: AbortSignal;
  /**
   * Called once, when the response has begun (the stream's first event): from then on the
   * API serves the cache entries this request writes to other requests, not before.
   */
  onResponseStart?: () => void;
}

export interface ModelReply {
  content: AssistantPart[];
  stopReason: StopReason;
  usage: Usage;
  /** The endpoint reported no usage (some OpenAI-compatible servers): `usage` is zeros and the call cannot be priced. */
  usageUnknown?: true;
  /** USD; undefined when no price is known or no usage was reported: the budget counts the request instead. */
  costUsd?: number;
  /** The model that answered, as the provider names it. */
  model: string;
}

/** What the agent loop needs from a model. Providers implement it; so do the engine's wrappers (routing, API weather). */
export interface ModelClient {
  send(request: ModelRequest): Promise<ModelReply>;
  /** The model's context window in tokens (prompt + output), when the client knows it. */
  contextWindow?(model: string): number | undefined;
}
