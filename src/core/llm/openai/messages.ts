/**
 * The engine's messages and tools in Chat Completions shapes, and a streamed reply (chunks)
 * back in the engine's. Deterministic, so endpoints that cache prompt prefixes (OpenAI,
 * vLLM's prefix caching) see the same bytes turn after turn.
 */
import type {
  ChatCompletionChunk,
  ChatCompletionFunctionTool,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions/completions';
import type { AssistantPart, Message, ModelRequest, StopReason, ToolDefinition, Usage } from '../types';

/** Chat Completions has no error flag on a tool message: an error result says so in its first word. */
export const TOOL_ERROR_PREFIX = 'ERROR: ';

export const toWireTool = (tool: ToolDefinition): ChatCompletionFunctionTool => ({
  type: 'function',
  function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
});

/** The arguments as the model sent them: a tool input that was not JSON is kept as its raw text. */
const argumentsOf = (input: unknown): string => (typeof input === 'string' ? input : JSON.stringify(input ?? {}));

function toWireMessages(message: Message): ChatCompletionMessageParam[] {
  if (message.role === 'assistant') {
    const text = message.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
    const calls: ChatCompletionMessageFunctionToolCall[] = message.content.flatMap((p) =>
      p.type === 'tool_call'
        ? [{ id: p.id, type: 'function' as const, function: { name: p.name, arguments: argumentsOf(p.input) } }]
        : [],
    );
    if (calls.length === 0) return [{ role: 'assistant', content: text || '(no content)' }];
    return [{ role: 'assistant', content: text || null, tool_calls: calls }];
  }
  // Tool messages must follow the assistant message that called them; the text comes after.
  const out: ChatCompletionMessageParam[] = [];
  for (const part of message.content) {
    if (part.type === 'tool_result')
      out.push({
        role: 'tool',
        tool_call_id: part.callId,
        content: part.isError ? TOOL_ERROR_PREFIX + part.content : part.content,
      });
  }
  const text = message.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n\n');
  if (text) out.push({ role: 'user', content: text });
  return out;
}

/** The request's prompt: one system message (shared block, system prompt, context), then the conversation. */
export function toWirePrompt(
  request: Pick<ModelRequest, 'shared' | 'system' | 'context' | 'messages'>,
): ChatCompletionMessageParam[] {
  const system = [request.shared, request.system, request.context].filter((s): s is string => Boolean(s)).join('\n\n');
  return [
    ...(system ? [{ role: 'system' as const, content: system }] : []),
    ...request.messages.flatMap(toWireMessages),
  ];
}

export function fromWireFinishReason(reason: ChatCompletionChunk.Choice['finish_reason'] | undefined): StopReason {
  switch (reason) {
    case 'stop':
      return 'end';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'length':
      return 'max_tokens';
    case 'content_filter':
      return 'refusal';
    default:
      return 'other';
  }
}

/** Builds the reply from a stream's chunks: text deltas, tool-call deltas by index, the finish reason, the usage chunk. */
export class ReplyAssembler {
  private text = '';
  private readonly calls = new Map<number, { id: string; name: string; args: string }>();
  finishReason: ChatCompletionChunk.Choice['finish_reason'] | undefined;
  usage: Usage | undefined;
  model = '';
  /** Some content (text or a tool call) arrived. */
  content = false;

  add(chunk: ChatCompletionChunk): void {
    if (chunk.model) this.model = chunk.model;
    if (chunk.usage) {
      const cached = chunk.usage.prompt_tokens_details?.cached_tokens ?? 0;
      this.usage = {
        input: chunk.usage.prompt_tokens - cached,
        output: chunk.usage.completion_tokens,
        cacheRead: cached,
        cacheWrite: 0,
      };
    }
    const choice = chunk.choices[0];
    if (!choice) return;
    if (choice.delta?.content) {
      this.text += choice.delta.content;
      this.content = true;
    }
    for (const delta of choice.delta?.tool_calls ?? []) {
      const call = this.calls.get(delta.index) ?? { id: '', name: '', args: '' };
      if (delta.id) call.id = delta.id;
      if (delta.function?.name) call.name += delta.function.name;
      if (delta.function?.arguments) call.args += delta.function.arguments;
      this.calls.set(delta.index, call);
      this.content = true;
    }
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
  }

  parts(): AssistantPart[] {
    const parts: AssistantPart[] = this.text ? [{ type: 'text', text: this.text }] : [];
    for (const [index, call] of [...this.calls].sort(([a], [b]) => a - b)) {
      parts.push({
        type: 'tool_call',
        id: call.id || `call_${index}`,
        name: call.name,
        input: parseArguments(call.args),
      });
    }
    return parts;
  }
}

/** A model's malformed arguments stay text: the loop answers them with an is_error result, not a crash. */
function parseArguments(args: string): unknown {
  if (args.trim() === '') return {};
  try {
    return JSON.parse(args) as unknown;
  } catch {
    return args;
  }
}
