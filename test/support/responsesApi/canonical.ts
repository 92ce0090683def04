/**
 * A Responses API request seen as the Messages API would carry it, so that tests and the
 * scripted-agent helpers (lastToolResults, routeByMarker…) read a Codex request as they read
 * any other: `instructions` and developer/system messages become the system text, function and
 * custom tool calls become tool_use blocks, their outputs tool_result blocks of a user message.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { appendBlocks, messagesBody, parseArguments, toolOf } from '../modelApi/canonical';

/** The parts of a Responses request body Codex (or any client) sends. */
export interface ResponsesBody {
  model: string;
  instructions?: string;
  input: string | ResponsesInputItem[];
  tools?: ResponsesTool[];
  stream?: boolean;
  store?: boolean;
  parallel_tool_calls?: boolean;
  prompt_cache_key?: string;
  /** Structured output: `{ format: { type: 'json_schema', name, schema, strict } }`. */
  text?: { format?: { type: string; name?: string; schema?: unknown; strict?: boolean }; verbosity?: string };
  reasoning?: unknown;
}

type InputContent = { type: 'input_text' | 'output_text' | 'text'; text: string } | { type: string; text?: string };

export type ResponsesInputItem =
  | { type?: 'message'; role: 'user' | 'developer' | 'system' | 'assistant'; content: string | InputContent[] }
  | { type: 'function_call'; call_id: string; name: string; arguments: string }
  | { type: 'custom_tool_call'; call_id: string; name: string; input: string }
  | { type: 'function_call_output' | 'custom_tool_call_output'; call_id: string; output: string | InputContent[] }
  | { type: string };

export type ResponsesTool =
  | { type: 'function'; name: string; description?: string; parameters?: Record<string, unknown> }
  | { type: 'custom'; name: string; description?: string; format?: unknown }
  | { type: string; name?: string };

const textOf = (content: string | InputContent[] | undefined): string =>
  typeof content === 'string' ? content : (content ?? []).map((p) => p.text ?? '').join('');

/** Tool names by wire kind: a scripted call to a `custom` tool goes out as a custom_tool_call. */
export function customToolNames(body: ResponsesBody): Set<string> {
  return new Set((body.tools ?? []).flatMap((t) => (t.type === 'custom' && t.name ? [t.name] : [])));
}

export function canonicalBody(body: ResponsesBody): Anthropic.Messages.MessageCreateParams {
  const items: ResponsesInputItem[] =
    typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : body.input;
  const systemParts = body.instructions ? [body.instructions] : [];
  const messages: Anthropic.Messages.MessageParam[] = [];
  const push = (role: 'user' | 'assistant', blocks: Anthropic.Messages.ContentBlockParam[]): void =>
    appendBlocks(messages, role, blocks);
  for (const item of items) {
    if (!('type' in item) || item.type === 'message' || item.type === undefined) {
      const message = item as Extract<ResponsesInputItem, { role: string }>;
      if (message.role === 'developer' || message.role === 'system') systemParts.push(textOf(message.content));
      else push(message.role === 'assistant' ? 'assistant' : 'user', [{ type: 'text', text: textOf(message.content) }]);
      continue;
    }
    switch (item.type) {
      case 'function_call': {
        const call = item as Extract<ResponsesInputItem, { type: 'function_call' }>;
        push('assistant', [
          { type: 'tool_use', id: call.call_id, name: call.name, input: parseArguments(call.arguments) },
        ]);
        break;
      }
      case 'custom_tool_call': {
        const call = item as Extract<ResponsesInputItem, { type: 'custom_tool_call' }>;
        push('assistant', [{ type: 'tool_use', id: call.call_id, name: call.name, input: call.input }]);
        break;
      }
      case 'function_call_output':
      case 'custom_tool_call_output': {
        const out = item as { call_id: string; output: string | InputContent[] };
        push('user', [{ type: 'tool_result', tool_use_id: out.call_id, content: textOf(out.output) }]);
        break;
      }
      default:
        // reasoning, web_search_call, additional_tools…: nothing a script reads.
        break;
    }
  }
  const tools = (body.tools ?? []).flatMap((t) => {
    if (t.type === 'function') {
      const fn = t as Extract<ResponsesTool, { type: 'function' }>;
      return [toolOf(fn.name, fn.description, fn.parameters)];
    }
    if (t.type === 'custom' && t.name) return [toolOf(t.name, (t as { description?: string }).description)];
    return [];
  });
  return messagesBody({
    model: body.model,
    max_tokens: 0,
    system: systemParts.join('\n\n'),
    messages,
    tools: tools.length > 0 ? tools : undefined,
    stream: body.stream,
  });
}
