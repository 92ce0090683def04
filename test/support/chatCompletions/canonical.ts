/**
 * A Chat Completions request seen as the Messages API would carry it, so that tests (and the
 * scripted-agent helpers) read requests the same way whichever provider the engine used: the
 * system message becomes one system block, assistant tool_calls become tool_use blocks, tool
 * messages (and the user text after them) one user message of tool_result blocks.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { appendBlocks, messagesBody, parseArguments, toolOf } from '../modelApi/canonical';

/** The parts of a Chat Completions request body the engine sends. */
export interface ChatBody {
  model: string;
  messages: ChatMessage[];
  tools?: {
    type: 'function';
    function: { name: string; description?: string; parameters?: Record<string, unknown> };
  }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
  max_completion_tokens?: number;
}

export type ChatMessage =
  | { role: 'system' | 'developer'; content: string | { type: 'text'; text: string }[] }
  | { role: 'user'; content: string | { type: 'text'; text: string }[] }
  | {
      role: 'assistant';
      content?: string | null;
      tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
    }
  | { role: 'tool'; tool_call_id: string; content: string };

/** What the engine's OpenAI-compatible client puts first in an error result (tool messages have no error flag). */
export const TOOL_ERROR_PREFIX = 'ERROR: ';

const textOf = (content: string | { type: 'text'; text: string }[] | null | undefined): string =>
  typeof content === 'string' ? content : (content ?? []).map((p) => p.text).join('');

export function canonicalBody(body: ChatBody): Anthropic.Messages.MessageCreateParams {
  const system = body.messages
    .filter((m) => m.role === 'system' || m.role === 'developer')
    .map((m) => textOf(m.content as string))
    .join('\n\n');
  const messages: Anthropic.Messages.MessageParam[] = [];
  const pushUser = (blocks: Anthropic.Messages.ContentBlockParam[]): void => appendBlocks(messages, 'user', blocks);
  for (const message of body.messages) {
    switch (message.role) {
      case 'user':
        pushUser([{ type: 'text', text: textOf(message.content) }]);
        break;
      case 'tool': {
        const isError = message.content.startsWith(TOOL_ERROR_PREFIX);
        const content = isError ? message.content.slice(TOOL_ERROR_PREFIX.length) : message.content;
        pushUser([
          { type: 'tool_result', tool_use_id: message.tool_call_id, content, ...(isError ? { is_error: true } : {}) },
        ]);
        break;
      }
      case 'assistant': {
        const blocks: Anthropic.Messages.ContentBlockParam[] = [];
        if (message.content) blocks.push({ type: 'text', text: message.content });
        for (const call of message.tool_calls ?? [])
          blocks.push({
            type: 'tool_use',
            id: call.id,
            name: call.function.name,
            input: parseArguments(call.function.arguments),
          });
        messages.push({ role: 'assistant', content: blocks });
        break;
      }
      default:
        break;
    }
  }
  return messagesBody({
    model: body.model,
    max_tokens: body.max_completion_tokens ?? body.max_tokens ?? 0,
    system,
    messages,
    tools: body.tools?.map((t) => toolOf(t.function.name, t.function.description, t.function.parameters)),
    stream: body.stream,
  });
}
