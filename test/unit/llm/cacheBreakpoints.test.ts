import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  countCacheBreakpoints,
  MAX_CACHE_BREAKPOINTS,
  withCacheBreakpoints,
} from '../../../src/core/llm/anthropic/cacheBreakpoints';
import type { Message, ToolDefinition } from '../../../src/core/llm/types';

const tool = (name: string): ToolDefinition => ({
  name,
  description: `${name} tool`,
  inputSchema: { type: 'object', properties: {} },
});
const ephemeral = { type: 'ephemeral' };

function conversation(): Message[] {
  return [
    { role: 'user', content: [{ type: 'text', text: 'task' }] },
    { role: 'assistant', content: [{ type: 'tool_call', id: 'toolu_1', name: 'read_file', input: { path: 'a' } }] },
    {
      role: 'user',
      content: [
        { type: 'tool_result', callId: 'toolu_1', content: 'x' },
        { type: 'text', text: 'go on' },
      ],
    },
  ];
}

test('marks the last tool, the system block, the context block and the last block of the latest user message', () => {
  const prompt = withCacheBreakpoints({
    system: 'sys',
    context: 'ctx',
    tools: [tool('a'), tool('b')],
    messages: conversation(),
  });
  assert.equal(prompt.tools[0]!.cache_control, undefined);
  assert.deepEqual(prompt.tools[1]!.cache_control, ephemeral);
  assert.deepEqual(prompt.system, [
    { type: 'text', text: 'sys', cache_control: ephemeral },
    { type: 'text', text: 'ctx', cache_control: ephemeral },
  ]);
  const latest = prompt.messages[2]!.content as { cache_control?: unknown }[];
  assert.equal(latest[0]!.cache_control, undefined);
  assert.deepEqual(latest[1]!.cache_control, ephemeral);
  const first = prompt.messages[0]!.content as { cache_control?: unknown }[];
  assert.equal(first[0]!.cache_control, undefined, 'only the latest user message is marked');
  assert.equal(countCacheBreakpoints(prompt), MAX_CACHE_BREAKPOINTS);
});

test("the engine's parts map to Messages API blocks: tool_use, tool_result with is_error only on errors", () => {
  const messages: Message[] = [
    ...conversation(),
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'again' },
        { type: 'tool_call', id: 'toolu_2', name: 'write_file', input: { path: 'b' } },
      ],
    },
    { role: 'user', content: [{ type: 'tool_result', callId: 'toolu_2', content: 'refused', isError: true }] },
  ];
  const prompt = withCacheBreakpoints({ system: 'sys', tools: [], messages });
  assert.deepEqual(prompt.messages[1]!.content, [
    { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'a' } },
  ]);
  assert.deepEqual((prompt.messages[2]!.content as object[])[0], {
    type: 'tool_result',
    tool_use_id: 'toolu_1',
    content: 'x',
  });
  assert.deepEqual(prompt.messages[4]!.content, [
    { type: 'tool_result', tool_use_id: 'toolu_2', content: 'refused', is_error: true, cache_control: ephemeral },
  ]);
});

test('an opaque part goes back to the provider that produced it only; an empty turn is still a turn', () => {
  const thinking = { type: 'thinking', thinking: 'hmm', signature: 'sig' };
  const messages: Message[] = [
    { role: 'user', content: [{ type: 'text', text: 'task' }] },
    {
      role: 'assistant',
      content: [
        { type: 'opaque', provider: 'anthropic', value: thinking },
        { type: 'opaque', provider: 'openai', value: { x: 1 } },
      ],
    },
    { role: 'user', content: [{ type: 'text', text: 'go on' }] },
    { role: 'assistant', content: [{ type: 'opaque', provider: 'openai', value: { x: 1 } }] },
    { role: 'user', content: [{ type: 'text', text: 'again' }] },
  ];
  const prompt = withCacheBreakpoints({ system: 'sys', tools: [], messages });
  assert.deepEqual(prompt.messages[1]!.content, [thinking]);
  assert.deepEqual(prompt.messages[3]!.content, [{ type: 'text', text: '(no content)' }]);
});

test("does not mutate the caller's arrays or objects", () => {
  const tools = [tool('a')];
  const messages = conversation();
  const before = JSON.stringify({ tools, messages });
  const prompt = withCacheBreakpoints({ system: 'sys', tools, messages });
  assert.equal(JSON.stringify({ tools, messages }), before);
  assert.notEqual(prompt.tools, tools);
  assert.notEqual(prompt.messages, messages);
  assert.notEqual(prompt.messages[2], messages[2]);
});

test('only the latest user message is marked; empty system/context and no tools are left out', () => {
  const messages: Message[] = [
    { role: 'user', content: [{ type: 'text', text: 'hello' }] },
    { role: 'assistant', content: [{ type: 'text', text: 'hi' }] },
    { role: 'user', content: [{ type: 'text', text: 'more' }] },
  ];
  const prompt = withCacheBreakpoints({ system: '', context: '', tools: [], messages });
  assert.deepEqual(prompt.system, []);
  assert.deepEqual(prompt.tools, []);
  assert.deepEqual(prompt.messages, [
    { role: 'user', content: [{ type: 'text', text: 'hello' }] },
    { role: 'assistant', content: [{ type: 'text', text: 'hi' }] },
    { role: 'user', content: [{ type: 'text', text: 'more', cache_control: ephemeral }] },
  ]);
});

test('a shared block goes first among the system blocks with its own breakpoint; the tools then need none', () => {
  const prompt = withCacheBreakpoints({
    shared: 'spec',
    system: 'sys',
    context: 'ctx',
    tools: [tool('a'), tool('b')],
    messages: conversation(),
  });
  assert.ok(prompt.tools.every((t) => t.cache_control === undefined));
  assert.deepEqual(prompt.system, [
    { type: 'text', text: 'spec', cache_control: ephemeral },
    { type: 'text', text: 'sys', cache_control: ephemeral },
    { type: 'text', text: 'ctx', cache_control: ephemeral },
  ]);
  assert.equal(countCacheBreakpoints(prompt), MAX_CACHE_BREAKPOINTS);
});
