import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countCacheBreakpoints, MAX_CACHE_BREAKPOINTS, withCacheBreakpoints } from '../../../src/core/llm/cacheBreakpoints';
import type { MessageParam, ToolDefinition } from '../../../src/core/llm/types';

const tool = (name: string): ToolDefinition => ({ name, description: `${name} tool`, input_schema: { type: 'object', properties: {} } });
const ephemeral = { type: 'ephemeral' };

function conversation(): MessageParam[] {
  return [
    { role: 'user', content: [{ type: 'text', text: 'task', cache_control: { type: 'ephemeral' } }] },
    { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'a' } }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'x' }, { type: 'text', text: 'go on' }] },
  ];
}

test('marks the last tool, the system block, the context block and the last block of the latest user message', () => {
  const prompt = withCacheBreakpoints({ system: 'sys', context: 'ctx', tools: [tool('a'), tool('b')], messages: conversation() });
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
  assert.equal(first[0]!.cache_control, undefined, 'older breakpoints are moved, not kept');
  assert.equal(countCacheBreakpoints(prompt), MAX_CACHE_BREAKPOINTS);
});

test('never exceeds four breakpoints, however many the caller already placed', () => {
  const messages = conversation().map((m) =>
    typeof m.content === 'string' ? m : { ...m, content: m.content.map((b) => ({ ...b, cache_control: { type: 'ephemeral' as const } })) },
  ) as MessageParam[];
  const tools = [tool('a'), tool('b'), tool('c')].map((t) => ({ ...t, cache_control: { type: 'ephemeral' as const } }));
  for (const context of [undefined, 'ctx']) {
    const prompt = withCacheBreakpoints({ system: 'sys', context, tools, messages });
    assert.ok(countCacheBreakpoints(prompt) <= MAX_CACHE_BREAKPOINTS);
    assert.equal(countCacheBreakpoints(prompt), context ? 4 : 3);
  }
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

test('string messages become text blocks (only the latest user one marked); empty system/context and no tools are left out', () => {
  const messages: MessageParam[] = [
    { role: 'user', content: 'hello' },
    { role: 'assistant', content: 'hi' },
    { role: 'user', content: 'more' },
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
  const prompt = withCacheBreakpoints({ shared: 'spec', system: 'sys', context: 'ctx', tools: [tool('a'), tool('b')], messages: conversation() });
  assert.ok(prompt.tools.every((t) => t.cache_control === undefined));
  assert.deepEqual(prompt.system, [
    { type: 'text', text: 'spec', cache_control: ephemeral },
    { type: 'text', text: 'sys', cache_control: ephemeral },
    { type: 'text', text: 'ctx', cache_control: ephemeral },
  ]);
  assert.equal(countCacheBreakpoints(prompt), MAX_CACHE_BREAKPOINTS);
});
