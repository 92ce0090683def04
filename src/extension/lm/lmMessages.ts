/**
 * The engine's requests and replies in the shape of VS Code's Language Model API, as plain
 * data (lmParts.ts turns it into the API's classes): no `vscode` here, so the mapping is
 * tested in plain Node.
 *
 * The API has no system role: the shared context, the system prompt and the agent's context
 * go first in the first user message, each its own text part, before the agent's task.
 * Tool results carry no error flag in the API (1.104), so an error result says so in its text.
 */
import type { AssistantPart, Message, ModelRequest, StopReason } from '../../core/llm';

export const VSCODE_LM = 'vscode-lm';

export type LmPart =
  | { kind: 'text'; text: string }
  | { kind: 'tool_call'; callId: string; name: string; input: object }
  | { kind: 'tool_result'; callId: string; text: string };

export interface LmMessage {
  role: 'user' | 'assistant';
  parts: LmPart[];
}

/** A response part as the stream delivers it: text, a tool call, or something the engine does not use. */
export type LmResponsePart =
  | { kind: 'text'; text: string }
  | { kind: 'tool_call'; callId: string; name: string; input: unknown }
  | { kind: 'other' };

/** Prefixed to an error tool result, since the API cannot flag one. */
export const TOOL_ERROR_PREFIX = 'Error: ';

/** What the model produced is passed back as it was; a non-object (the model erred) goes in a wrapper, as the API takes objects only. */
const callInput = (input: unknown): object => (typeof input === 'object' && input !== null ? input : { input });

function partsOf(message: Message): LmPart[] {
  const parts: LmPart[] = [];
  for (const part of message.content) {
    switch (part.type) {
      case 'text':
        if (part.text) parts.push({ kind: 'text', text: part.text });
        break;
      case 'tool_call':
        parts.push({ kind: 'tool_call', callId: part.id, name: part.name, input: callInput(part.input) });
        break;
      case 'tool_result':
        parts.push({
          kind: 'tool_result',
          callId: part.callId,
          text: part.isError ? `${TOOL_ERROR_PREFIX}${part.content}` : part.content,
        });
        break;
      case 'opaque':
        // Another provider's part (e.g. a thinking block) means nothing to the editor's models.
        break;
    }
  }
  // An empty turn is still a turn (some models reject an empty message).
  return parts.length > 0 ? parts : [{ kind: 'text', text: '(no content)' }];
}

/** The prompt blocks that go before the task, in the order the Messages API sends them. */
function instructionParts(request: ModelRequest): LmPart[] {
  return [request.shared, request.system, request.context]
    .filter((text): text is string => !!text)
    .map((text) => ({ kind: 'text', text: `${text}\n\n` }));
}

export function toLmMessages(request: ModelRequest): LmMessage[] {
  const messages = request.messages.map((m): LmMessage => ({ role: m.role, parts: partsOf(m) }));
  const instructions = instructionParts(request);
  const first = messages[0];
  if (first?.role === 'user') first.parts = [...instructions, ...first.parts];
  else if (instructions.length > 0) messages.unshift({ role: 'user', parts: instructions });
  return messages;
}

/** The streamed parts as one assistant turn: adjacent text joined, tool calls in order. */
export function fromLmResponse(parts: readonly LmResponsePart[]): { content: AssistantPart[]; stopReason: StopReason } {
  const content: AssistantPart[] = [];
  for (const part of parts) {
    const last = content.at(-1);
    if (part.kind === 'text') {
      if (last?.type === 'text') last.text += part.text;
      else if (part.text) content.push({ type: 'text', text: part.text });
    } else if (part.kind === 'tool_call') {
      content.push({ type: 'tool_call', id: part.callId, name: part.name, input: part.input });
    }
  }
  // The API reports no stop reason: a turn with tool calls wants their results, any other ended.
  return { content, stopReason: content.some((p) => p.type === 'tool_call') ? 'tool_use' : 'end' };
}

/** Characters of everything a request sends, for a cheap first estimate of its tokens. */
export function requestChars(messages: readonly LmMessage[], tools: ModelRequest['tools']): number {
  let chars = JSON.stringify(tools).length;
  for (const message of messages) {
    for (const part of message.parts)
      chars += part.kind === 'tool_call' ? part.name.length + JSON.stringify(part.input).length : part.text.length;
  }
  return chars;
}
