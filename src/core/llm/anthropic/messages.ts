/**
 * The engine's messages and tools in the Messages API's shapes, and a reply back in the
 * engine's. Deterministic: the same conversation always maps to the same bytes, so a turn
 * read from the prompt cache once is read again in every later request.
 */
import type {
  ContentBlock,
  ContentBlockParam,
  MessageParam,
  StopReason as WireStopReason,
  Tool,
} from '@anthropic-ai/sdk/resources/messages/messages';
import { ANTHROPIC } from '../modelId';
import type { AssistantPart, Message, StopReason, ToolDefinition } from '../types';

export const toWireTool = (tool: ToolDefinition): Tool => ({
  name: tool.name,
  description: tool.description,
  input_schema: tool.inputSchema,
});

function toWireBlocks(message: Message): ContentBlockParam[] {
  const blocks: ContentBlockParam[] = [];
  for (const part of message.content) {
    switch (part.type) {
      case 'text':
        blocks.push({ type: 'text', text: part.text });
        break;
      case 'tool_call':
        blocks.push({ type: 'tool_use', id: part.id, name: part.name, input: part.input });
        break;
      case 'tool_result':
        blocks.push({
          type: 'tool_result',
          tool_use_id: part.callId,
          content: part.content,
          ...(part.isError ? { is_error: true } : {}),
        });
        break;
      case 'opaque':
        // Another provider's part means nothing here; this provider's goes back as received.
        if (part.provider === ANTHROPIC) blocks.push(part.value as ContentBlockParam);
        break;
    }
  }
  // The API rejects an empty message; an empty turn is still a turn.
  return blocks.length > 0 ? blocks : [{ type: 'text', text: '(no content)' }];
}

export const toWireMessage = (message: Message): MessageParam => ({
  role: message.role,
  content: toWireBlocks(message),
});

/** Text and tool_use blocks keep only the fields a request accepts; anything else (thinking…) is kept opaque, as the API wants it back unchanged. */
export function fromWireContent(content: readonly ContentBlock[]): AssistantPart[] {
  return content.map((block): AssistantPart => {
    if (block.type === 'text') return { type: 'text', text: block.text };
    if (block.type === 'tool_use') return { type: 'tool_call', id: block.id, name: block.name, input: block.input };
    return { type: 'opaque', provider: ANTHROPIC, value: block };
  });
}

export function fromWireStopReason(reason: WireStopReason | null): StopReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'end';
    case 'tool_use':
      return 'tool_use';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'max_tokens';
    case 'refusal':
      return 'refusal';
    default:
      return 'other';
  }
}
