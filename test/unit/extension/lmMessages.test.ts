// The editor's models (vscode-lm): the engine's requests and replies ⇄ the Language Model API's
// message parts, as plain data (src/extension/lm/lmMessages.ts; lmParts.ts only wraps them in
// the API's classes, exercised in the extension-host tier).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelRequest } from '../../../src/core/llm/types';
import { fromLmResponse, requestChars, TOOL_ERROR_PREFIX, toLmMessages } from '../../../src/extension/lm/lmMessages';

const tool = {
  name: 'read_file',
  description: 'Reads a file',
  inputSchema: { type: 'object' as const, properties: { path: { type: 'string' } } },
};

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'copilot/gpt-4o',
    maxTokens: 8000,
    system: '# You are the BACKEND SPECIALIST\nWrite server code.',
    tools: [tool],
    messages: [{ role: 'user', content: [{ type: 'text', text: '## Task\nAdd a Product module.' }] }],
    ...overrides,
  };
}

test('no system role: shared context, system prompt and agent context open the first user message, each its own part, before the task', () => {
  const messages = toLmMessages(request({ shared: 'The approved spec.', context: 'backend.context.md' }));
  assert.equal(messages.length, 1);
  assert.equal(messages[0]!.role, 'user');
  assert.deepEqual(messages[0]!.parts, [
    { kind: 'text', text: 'The approved spec.\n\n' },
    { kind: 'text', text: '# You are the BACKEND SPECIALIST\nWrite server code.\n\n' },
    { kind: 'text', text: 'backend.context.md\n\n' },
    { kind: 'text', text: '## Task\nAdd a Product module.' },
  ]);
});

test('only the first message carries the instructions; later turns keep their own parts', () => {
  const messages = toLmMessages(
    request({
      messages: [
        { role: 'user', content: [{ type: 'text', text: '## Task' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Looking.' },
            { type: 'tool_call', id: 'call-1', name: 'read_file', input: { path: 'server/app.js' } },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', callId: 'call-1', content: 'const app = 1;' }] },
        { role: 'user', content: [{ type: 'text', text: '## RETRY\nThe build failed.' }] },
      ],
    }),
  );
  assert.deepEqual(
    messages.map((m) => [m.role, m.parts.map((p) => p.kind)]),
    [
      ['user', ['text', 'text']],
      ['assistant', ['text', 'tool_call']],
      ['user', ['tool_result']],
      ['user', ['text']],
    ],
  );
  assert.deepEqual(messages[1]!.parts[1], {
    kind: 'tool_call',
    callId: 'call-1',
    name: 'read_file',
    input: { path: 'server/app.js' },
  });
  assert.deepEqual(messages[2]!.parts[0], { kind: 'tool_result', callId: 'call-1', text: 'const app = 1;' });
});

test('a tool error says so in its text (the API has no error flag); garbage tool input goes back wrapped in an object', () => {
  const messages = toLmMessages(
    request({
      messages: [
        { role: 'user', content: [{ type: 'text', text: '## Task' }] },
        {
          role: 'assistant',
          content: [
            { type: 'tool_call', id: 'a', name: 'read_file', input: 'not json {' },
            { type: 'tool_call', id: 'b', name: 'read_file', input: null },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', callId: 'a', content: 'input is not an object', isError: true },
            { type: 'tool_result', callId: 'b', content: 'path is required', isError: true },
          ],
        },
      ],
    }),
  );
  assert.deepEqual(messages[1]!.parts, [
    { kind: 'tool_call', callId: 'a', name: 'read_file', input: { input: 'not json {' } },
    { kind: 'tool_call', callId: 'b', name: 'read_file', input: { input: null } },
  ]);
  assert.deepEqual(messages[2]!.parts, [
    { kind: 'tool_result', callId: 'a', text: `${TOOL_ERROR_PREFIX}input is not an object` },
    { kind: 'tool_result', callId: 'b', text: `${TOOL_ERROR_PREFIX}path is required` },
  ]);
});

test("another provider's opaque parts and empty texts are left out; an emptied turn is still a turn", () => {
  const messages = toLmMessages(
    request({
      messages: [
        { role: 'user', content: [{ type: 'text', text: '## Task' }] },
        {
          role: 'assistant',
          content: [
            { type: 'opaque', provider: 'anthropic', value: { type: 'thinking', thinking: '…' } },
            { type: 'text', text: '' },
          ],
        },
        { role: 'user', content: [{ type: 'text', text: 'Go on.' }] },
      ],
    }),
  );
  assert.deepEqual(messages[1], { role: 'assistant', parts: [{ kind: 'text', text: '(no content)' }] });
});

test('the reply: adjacent text joined, tool calls kept in order with their ids; tool calls mean tool_use, else the turn ended', () => {
  const withTools = fromLmResponse([
    { kind: 'text', text: 'Let me ' },
    { kind: 'text', text: 'look.' },
    { kind: 'other' },
    { kind: 'tool_call', callId: 'c1', name: 'read_file', input: { path: 'a.js' } },
    { kind: 'tool_call', callId: 'c2', name: 'list_files', input: {} },
  ]);
  assert.deepEqual(withTools, {
    content: [
      { type: 'text', text: 'Let me look.' },
      { type: 'tool_call', id: 'c1', name: 'read_file', input: { path: 'a.js' } },
      { type: 'tool_call', id: 'c2', name: 'list_files', input: {} },
    ],
    stopReason: 'tool_use',
  });
  assert.deepEqual(fromLmResponse([{ kind: 'text', text: 'Done.' }]), {
    content: [{ type: 'text', text: 'Done.' }],
    stopReason: 'end',
  });
  assert.deepEqual(fromLmResponse([]), { content: [], stopReason: 'end' });
});

test("the rough size counts every part's characters and the tool definitions", () => {
  const req = request();
  const messages = toLmMessages(req);
  const texts = messages.flatMap((m) => m.parts).reduce((n, p) => n + (p.kind === 'text' ? p.text.length : 0), 0);
  assert.equal(requestChars(messages, req.tools), texts + JSON.stringify(req.tools).length);
});
