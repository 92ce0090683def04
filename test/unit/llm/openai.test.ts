// The OpenAI-compatible provider against the Chat Completions test server: what it sends, how it
// reads a streamed reply, how failures map to the engine's kinds, and its checks before any call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Host } from '../../../src/core/host';
import { withApiWeather } from '../../../src/core/llm/apiWeather';
import { LlmError, type LlmErrorKind } from '../../../src/core/llm/llmError';
import { createOpenAIClient, tokensFieldFor } from '../../../src/core/llm/openai/client';
import { openaiProvider } from '../../../src/core/llm/openai/provider';
import { createPricing } from '../../../src/core/llm/pricing';
import { ProviderError } from '../../../src/core/llm/provider';
import { routingClient } from '../../../src/core/llm/router';
import type { Message, ModelRequest, ToolDefinition } from '../../../src/core/llm/types';
import { parseConfig } from '../../../src/core/project/config/config';
import { startChatCompletionsServer, type ChatServerOptions } from '../../support/chatCompletionsServer';
import { block, fault, reply, sequence, type Script } from '../../support/messagesApiServer';
import { serving } from '../../support/modelApi/scriptedServer';

const KEY = 'sk-openai-test-0123456789';
const tools: ToolDefinition[] = [
  {
    name: 'read_file',
    description: 'Read a file',
    inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  },
];
const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });
const request = (messages: Message[] = [user('go')]): ModelRequest => ({
  model: 'gpt-test',
  maxTokens: 512,
  shared: 'SHARED',
  system: 'SYSTEM',
  context: 'CONTEXT',
  tools,
  messages,
});

async function serve(script: Script, options: ChatServerOptions = {}) {
  const api = await startChatCompletionsServer(script, options);
  const client = createOpenAIClient({ apiKey: KEY, baseURL: api.url });
  return { api, client, close: () => api.close() };
}

async function failure(script: Script, options: ChatServerOptions = {}): Promise<LlmError> {
  const s = await serve(script, options);
  try {
    const error = await s.client.send(request()).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof LlmError, String(error));
    assert.ok(!error.message.includes(KEY), 'the key never shows');
    return error;
  } finally {
    await s.close();
  }
}

test('sends one system message, the tools as functions, max_tokens and include_usage; reads text, tool calls and usage', async () => {
  const s = await serve(() =>
    reply.turn(
      [
        'Reading two files.',
        block.toolUse('read_file', { path: 'a.ts' }),
        block.toolUse('read_file', { path: 'b.ts' }),
      ],
      undefined,
      { usage: { input_tokens: 300, cache_read_input_tokens: 1024, output_tokens: 40 } },
    ),
  );
  try {
    const r = await s.client.send(request());
    const wire = s.api.requests[0]!.wire;
    assert.deepEqual(wire.messages[0], { role: 'system', content: 'SHARED\n\nSYSTEM\n\nCONTEXT' });
    assert.deepEqual(wire.tools, [
      {
        type: 'function',
        function: { name: 'read_file', description: 'Read a file', parameters: tools[0]!.inputSchema },
      },
    ]);
    assert.equal(wire.max_tokens, 512, 'a server other than OpenAI itself gets max_tokens');
    assert.deepEqual([wire.stream, wire.stream_options], [true, { include_usage: true }]);

    assert.equal(r.stopReason, 'tool_use');
    assert.deepEqual(
      r.content.map((p) => (p.type === 'tool_call' ? [p.name, p.input] : p.type === 'text' ? p.text : p.type)),
      ['Reading two files.', ['read_file', { path: 'a.ts' }], ['read_file', { path: 'b.ts' }]],
    );
    const ids = r.content.flatMap((p) => (p.type === 'tool_call' ? [p.id] : []));
    assert.ok(ids.every((id) => /^call_/.test(id)) && new Set(ids).size === 2);
    assert.deepEqual(
      r.usage,
      { input: 300, output: 40, cacheRead: 1024, cacheWrite: 0 },
      'cached tokens are cache reads; prompt_tokens includes them',
    );
    assert.equal(r.usageUnknown, undefined);
  } finally {
    await s.close();
  }
});

test('a conversation maps to tool messages (errors marked) after the assistant tool_calls, then the user text', async () => {
  const s = await serve(() => reply.text('ok'));
  try {
    const messages: Message[] = [
      user('task'),
      {
        role: 'assistant',
        content: [
          { type: 'tool_call', id: 'call_1', name: 'read_file', input: { path: 'a' } },
          { type: 'tool_call', id: 'call_2', name: 'read_file', input: 'not json' },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', callId: 'call_1', content: 'A' },
          { type: 'tool_result', callId: 'call_2', content: 'invalid input', isError: true },
          { type: 'text', text: 'RETRY' },
        ],
      },
    ];
    await s.client.send(request(messages));
    assert.deepEqual(s.api.requests[0]!.wire.messages.slice(1), [
      { role: 'user', content: 'task' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a"}' } },
          { id: 'call_2', type: 'function', function: { name: 'read_file', arguments: 'not json' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'A' },
      { role: 'tool', tool_call_id: 'call_2', content: 'ERROR: invalid input' },
      { role: 'user', content: 'RETRY' },
    ]);
  } finally {
    await s.close();
  }
});

test('malformed tool arguments stay text (the loop answers them with an error result); no usage means unknown usage, unpriced', async () => {
  const s = await serve(
    () => ({ kind: 'reply', content: [{ type: 'tool_use', name: 'read_file', input: '{"path": "a.ts"' }] }),
    { usage: false },
  );
  try {
    const routed = routingClient(
      new Map([['openai', s.client]]),
      createPricing({ 'openai:gpt-test': { input: 1, output: 1 } }),
    );
    const r = await routed.send({ ...request(), model: 'openai:gpt-test' });
    assert.deepEqual(r.content, [
      {
        type: 'tool_call',
        id: r.content[0]!.type === 'tool_call' ? r.content[0]!.id : '',
        name: 'read_file',
        input: '{"path": "a.ts"',
      },
    ]);
    assert.equal(r.usageUnknown, true);
    assert.deepEqual(r.usage, { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });
    assert.equal(r.costUsd, undefined, 'a reply without usage cannot be priced: the budget counts it as a request');
  } finally {
    await s.close();
  }
});

test("failures map to the engine's kinds (so API weather and compaction apply to this provider too)", async () => {
  const kinds: [Script, LlmErrorKind, number | undefined][] = [
    [() => fault.rateLimit({ retryAfterSeconds: 3 }), 'rate-limit', 3000],
    [() => fault.overloaded(), 'overloaded', undefined],
    [() => fault.serverError(), 'server', undefined],
    [() => fault.auth(), 'auth', undefined],
    [() => fault.spendLimit(), 'spend-limit', undefined],
    [
      () => fault.httpError(404, 'invalid_request_error', 'The model `gpt-nope` does not exist'),
      'not-found',
      undefined,
    ],
    [() => fault.drop(0), 'network', undefined],
    [() => fault.streamError(0), 'server', undefined],
  ];
  for (const [script, kind, retryAfter] of kinds) {
    const error = await failure(script);
    assert.equal(error.kind, kind, error.message);
    assert.equal(error.details.retryAfterMs, retryAfter);
  }
  const cut = await failure(() => fault.drop(3));
  assert.deepEqual([cut.kind, cut.partialOutput], ['network', true]);
  const long = await failure(() => reply.text('never'), { contextWindow: 20 });
  assert.equal(long.kind, 'context-length');
  assert.equal(long.details.limitTokens, 20);
  assert.ok((long.details.promptTokens ?? 0) > 20);
  const noTools = await failure(() => reply.text('never'), { tools: false });
  assert.equal(noTools.kind, 'unsupported');
  assert.match(noTools.message, /does not support tools.*Pick a model that supports tool calls/);
});

test('API weather over this provider: a 429 with retry-after and a 503 are waited out', async () => {
  const s = await serve(sequence(fault.rateLimit({ retryAfterMs: 200 }), fault.overloaded(), reply.text('made it')));
  try {
    const events: string[] = [];
    const client = withApiWeather(s.client, {
      agent: 'backend',
      windowMs: 30_000,
      baseDelayMs: 50,
      emit: (e) => events.push(e.type),
    });
    const r = await client.send(request());
    assert.deepEqual(r.content, [{ type: 'text', text: 'made it' }]);
    assert.deepEqual(events, ['llm.waiting', 'llm.waiting', 'llm.recovered']);
    assert.equal(s.api.requests.length, 3);
  } finally {
    await s.close();
  }
});

test('OpenAI itself gets max_completion_tokens (its reasoning models refuse max_tokens); other endpoints max_tokens', () => {
  assert.equal(tokensFieldFor(undefined), 'max_completion_tokens');
  assert.equal(tokensFieldFor('https://api.openai.com/v1'), 'max_completion_tokens');
  assert.equal(tokensFieldFor('http://localhost:11434/v1'), 'max_tokens');
  assert.equal(tokensFieldFor('https://openrouter.ai/api/v1'), 'max_tokens');
});

const host = (key?: string): Host => ({
  ask: async () => ({ allowed: false }),
  onEvent: () => {},
  getApiKey: async () => undefined,
  isTrusted: () => true,
  getProviderKey: async (provider) => (provider === 'openai' ? key : undefined),
});
const setup = (baseURL: string | undefined, key?: string) => {
  const config = parseConfig(baseURL ? `providers: { openai: { baseURL: "${baseURL}" } }` : '');
  return { host: host(key), config, pricing: createPricing(config.pricing) };
};

test("before any call: the endpoint's model list is checked; a refused key, a missing key or an unreachable endpoint is named", async () => {
  const api = await startChatCompletionsServer(() => reply.text('never'), {
    apiKey: KEY,
    models: ['gpt-test', 'llama3.1:latest'],
  });
  try {
    const opened = await openaiProvider.open(['gpt-test', 'llama3.1'], setup(api.url, KEY));
    assert.deepEqual(opened.secrets, [KEY]);
    await assert.rejects(
      openaiProvider.open(['gpt-nope'], setup(api.url, KEY)),
      (e: unknown) =>
        e instanceof ProviderError &&
        e.model === 'gpt-nope' &&
        /Unknown model "gpt-nope" on http:\/\/127\.0\.0\.1:\d+\/v1; it serves: gpt-test, llama3\.1:latest/.test(
          e.message,
        ),
    );
    await assert.rejects(
      openaiProvider.open(['gpt-test'], setup(api.url)),
      (e: unknown) => e instanceof ProviderError && /refused the key \(401\): set OPENAI_API_KEY/.test(e.message),
    );
    assert.equal(api.requests.length, 0, 'no model call was made');
  } finally {
    await api.close();
  }
  await assert.rejects(
    openaiProvider.open(['gpt-test'], setup('https://gateway.example.com/v1')),
    (e: unknown) =>
      e instanceof ProviderError &&
      /No key for the OpenAI-compatible endpoint https:\/\/gateway\.example\.com\/v1: set OPENAI_API_KEY/.test(
        e.message,
      ),
  );
  await assert.rejects(
    openaiProvider.open(['gpt-test'], setup(undefined)),
    /No key for the OpenAI-compatible endpoint https:\/\/api\.openai\.com\/v1/,
  );
  await assert.rejects(
    openaiProvider.open(['gpt-test'], setup(api.url, KEY)),
    (e: unknown) =>
      e instanceof ProviderError &&
      /Cannot reach the OpenAI-compatible endpoint .*providers\.openai\.baseURL/.test(e.message),
  );
});

test("a keyless local server that does not list its models is used as it is; errors thrown by the client are the engine's LlmError", async () => {
  await serving(
    startChatCompletionsServer(() => fault.auth()),
    async (api) => {
      const opened = await openaiProvider.open(['anything'], setup(api.url));
      assert.deepEqual(opened.secrets, []);
      await assert.rejects(opened.client.send(request()), (e: unknown) => e instanceof LlmError && e.kind === 'auth');
      assert.equal(api.requests[0]!.headers.authorization, 'Bearer no-key');
    },
  );
});
