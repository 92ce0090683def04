import type { ContentBlock, MessageParam } from '../../llm/types';

type AssistantBlock = Exclude<MessageParam['content'], string>[number];

/**
 * The assistant message to append to the conversation. Text and tool_use blocks are
 * rebuilt with only the fields a request accepts; other blocks (thinking…) go back as
 * received, since the API requires them unchanged.
 */
export function assistantMessage(content: ContentBlock[]): MessageParam {
  const blocks = content.map((block): AssistantBlock => {
    if (block.type === 'text') return { type: 'text', text: block.text };
    if (block.type === 'tool_use') return { type: 'tool_use', id: block.id, name: block.name, input: block.input };
    return block as AssistantBlock;
  });
  // The API rejects an empty assistant message; an empty reply is still a turn.
  return { role: 'assistant', content: blocks.length > 0 ? blocks : [{ type: 'text', text: '(no content)' }] };
}
