import type { AssistantPart, Message } from '../../llm';

/** The assistant message to append to the conversation; an empty reply is still a turn (the APIs reject an empty message). */
export function assistantMessage(content: AssistantPart[]): Message {
  return { role: 'assistant', content: content.length > 0 ? [...content] : [{ type: 'text', text: '(no content)' }] };
}
