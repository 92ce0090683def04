import type Anthropic from '@anthropic-ai/sdk';

/** Token counts of one model call, or summed over several. */
export interface Usage {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

export const emptyUsage = (): Usage => ({ input: 0, output: 0, cacheWrite: 0, cacheRead: 0 });

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    input: a.input + b.input,
    output: a.output + b.output,
    cacheWrite: a.cacheWrite + b.cacheWrite,
    cacheRead: a.cacheRead + b.cacheRead,
  };
}

/** USD per million tokens. Cache write and read are derived from input unless given. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheWrite?: number;
  cacheRead?: number;
}

export type ToolDefinition = Anthropic.Messages.Tool;
export type MessageParam = Anthropic.Messages.MessageParam;
export type ContentBlock = Anthropic.Messages.ContentBlock;

/** One request to the model: everything the agent loop decides, nothing the host owns. */
export interface ModelRequest {
  model: string;
  maxTokens: number;
  /**
   * Stable context several agents of a run send alike (the approved spec, the registry
   * entry, memory): sent first among the system blocks, so agents with the same tools and
   * model read it from the prompt cache one another wrote.
   */
  shared?: string;
  /** Stable instructions; the client marks the prefix for prompt caching. */
  system: string;
  /** Large stable context (context file, registry entry…) sent after the system prompt, cached too. */
  context?: string;
  tools: ToolDefinition[];
  messages: MessageParam[];
  signal?: AbortSignal;
  /**
   * Called once, when the response has begun (the stream's message_start): from then on the
   * API serves the cache entries this request writes to other requests, not before.
   */
  onResponseStart?: () => void;
}

export interface ModelReply {
  content: ContentBlock[];
  stopReason: string | null;
  usage: Usage;
  costUsd: number;
  model: string;
}

/** What the agent loop needs from the LLM layer; the real one wraps @anthropic-ai/sdk. */
export interface ModelClient {
  send(request: ModelRequest): Promise<ModelReply>;
}
