/**
 * What the protocols' canonical readers share (chatCompletions/, responsesApi/, geminiApi/
 * canonical.ts): each turns its wire body into the Messages API's shape, so tests and scripted
 * agents read every request alike. Here: tool input as the client sent it, merged turns, a tool
 * declaration, and the Messages-API body they end in.
 */
import type Anthropic from '@anthropic-ai/sdk';

type Block = Anthropic.Messages.ContentBlockParam;
type Tool = {
  name: string;
  description: string | undefined;
  input_schema: { type: 'object' } & Record<string, unknown>;
};

/** A tool call's arguments as JSON, or the text as it came when it is not JSON. */
export function parseArguments(args: string): unknown {
  try {
    return JSON.parse(args) as unknown;
  } catch {
    return args;
  }
}

/** Adds blocks to the conversation, merged into the last message when it has the same role. */
export function appendBlocks(
  messages: Anthropic.Messages.MessageParam[],
  role: 'user' | 'assistant',
  blocks: Block[],
): void {
  if (blocks.length === 0) return;
  const last = messages.at(-1);
  if (last?.role === role && Array.isArray(last.content)) last.content.push(...blocks);
  else messages.push({ role, content: blocks });
}

/** A function tool as the Messages API declares it. */
export const toolOf = (name: string, description: string | undefined, parameters?: Record<string, unknown>): Tool => ({
  name,
  description,
  input_schema: { type: 'object', ...parameters },
});

/** The canonical body: system text as one block and tools only when there are some (`tools` undefined: none). */
export function messagesBody(parts: {
  model: string;
  max_tokens: number;
  system: string;
  messages: Anthropic.Messages.MessageParam[];
  tools: Tool[] | undefined;
  stream: boolean | undefined;
}): Anthropic.Messages.MessageCreateParams {
  const { model, max_tokens, system, messages, tools, stream } = parts;
  return {
    model,
    max_tokens,
    ...(system ? { system: [{ type: 'text', text: system }] } : {}),
    messages,
    ...(tools ? { tools } : {}),
    ...(stream !== undefined ? { stream } : {}),
  } as Anthropic.Messages.MessageCreateParams;
}
