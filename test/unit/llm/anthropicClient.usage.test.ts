import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createModelClient } from '../../../src/core/llm/anthropicClient';
import { countCacheBreakpoints } from '../../../src/core/llm/cacheBreakpoints';
import { LlmError } from '../../../src/core/llm/llmError';
import type { RetryInfo } from '../../../src/core/llm/retryObserver';
import type { MessageParam, ModelRequest, ToolDefinition } from '../../../src/core/llm/types';
import { block, fault, reply, sequence, startMessagesApiServer } from '../../support/messagesApiServer';

const near = (actual: number, expected: number): void => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`);
const tools: ToolDefinition[] = ['read_file', 'write_file'].map((name) => ({ name, description: `${name} tool`, input_schema: { type: 'object', properties: { path: { type: 'string' } } } }));
const base: Omit<ModelRequest, 'messages'> = {
  model: 'claude-sonnet-4-6', // $3 / $15, cache write $3.75, cache read $0.30 per million
  maxTokens: 1024,
  system: 'You are the backend agent. Follow the project conventions. '.repeat(40),
  context: '# backend.context.md\nUse the repository pattern.\n'.repeat(60),
  tools,
};

test('usage and cost of a call, with cache writes priced at 1.25× input', async () => {
  const usage = { input_tokens: 1200, output_tokens: 300, cache_creation_input_tokens: 5000, cache_read_input_tokens: 0 };
  const api = await startMessagesApiServer(() => reply.turn(['Reading it.', block.toolUse('read_file', { path: 'server/a.ts' })], undefined, { usage }));
  try {
    const client = createModelClient({ apiKey: 'k', baseURL: api.url, maxRetries: 0 });
    const r = await client.send({ ...base, messages: [{ role: 'user', content: 'add an endpoint' }] });
    assert.deepEqual(r.usage, { input: 1200, output: 300, cacheWrite: 5000, cacheRead: 0 });
    near(r.costUsd, (1200 * 3 + 300 * 15 + 5000 * 3.75) / 1e6);
    assert.equal(r.stopReason, 'tool_use');
    assert.equal(r.model, 'claude-sonnet-4-6');
    const call = r.content[1];
    assert.ok(call?.type === 'tool_use');
    assert.deepEqual(call.input, { path: 'server/a.ts' });
  } finally {
    await api.close();
  }
});

test('the second call of a conversation carries the breakpoints and pays cache reads at 0.1× input', async () => {
  const api = await startMessagesApiServer(sequence(reply.toolUse('read_file', { path: 'server/a.ts' }), reply.text('done')));
  try {
    const client = createModelClient({ apiKey: 'k', baseURL: api.url, maxRetries: 0 });
    const messages: MessageParam[] = [{ role: 'user', content: 'add an endpoint' }];
    const first = await client.send({ ...base, messages });
    const call = first.content[0];
    assert.ok(call?.type === 'tool_use');
    messages.push({ role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'export const a = 1;' }] });
    const second = await client.send({ ...base, messages });

    const wire = api.requests[1]!.body;
    assert.ok(Array.isArray(wire.system) && wire.system.length === 2);
    assert.ok(wire.system.every((b) => b.cache_control?.type === 'ephemeral'), 'system and context blocks are marked');
    assert.equal(wire.tools?.at(-1)?.cache_control?.type, 'ephemeral');
    const lastUser = wire.messages.at(-1)!;
    assert.ok(Array.isArray(lastUser.content));
    assert.equal((lastUser.content.at(-1) as { type: string; cache_control?: { type: string } }).cache_control?.type, 'ephemeral');
    assert.equal(countCacheBreakpoints({ system: wire.system, tools: wire.tools, messages: wire.messages as MessageParam[] }), 4);
    assert.equal(messages.length, 3, "the caller's conversation is not modified");
    assert.equal(typeof messages[0]!.content, 'string');

    assert.ok(first.usage.cacheWrite > 0 && first.usage.cacheRead === 0);
    assert.equal(second.usage.cacheRead, first.usage.cacheWrite, 'turn 2 reads what turn 1 cached');
    const u = second.usage;
    near(second.costUsd, (u.input * 3 + u.output * 15 + u.cacheWrite * 3.75 + u.cacheRead * 3 * 0.1) / 1e6);
    assert.ok(second.costUsd < first.costUsd, 'the cached turn is cheaper although its prompt is longer');
  } finally {
    await api.close();
  }
});

test('an AbortSignal cancels a slow reply mid-stream and nothing is retried', async () => {
  const controller = new AbortController();
  const api = await startMessagesApiServer(() => {
    setTimeout(() => controller.abort(), 30);
    return reply.slow(reply.text('a b c d e f g h'), { betweenMs: 60_000 });
  });
  try {
    const client = createModelClient({ apiKey: 'k', baseURL: api.url, maxRetries: 2, streamRetries: 2, streamRetryDelayMs: 1 });
    await assert.rejects(client.send({ ...base, messages: [{ role: 'user', content: 'go' }], signal: controller.signal }), (e: unknown) => e instanceof LlmError && e.kind === 'cancelled');
    await api.idle();
    assert.equal(api.requests.length, 1);
  } finally {
    await api.close();
  }
});

test('cancelling during the back-off before a stream retry ends the call without another request', async () => {
  const controller = new AbortController();
  const retries: RetryInfo[] = [];
  const api = await startMessagesApiServer(sequence(fault.streamError(0), reply.text('never reached')));
  try {
    const client = createModelClient({
      apiKey: 'k',
      baseURL: api.url,
      streamRetryDelayMs: 60_000,
      onRetry: (info) => {
        retries.push(info);
        controller.abort();
      },
    });
    await assert.rejects(client.send({ ...base, messages: [{ role: 'user', content: 'go' }], signal: controller.signal }), (e: unknown) => e instanceof LlmError && e.kind === 'cancelled');
    assert.equal(retries.length, 1);
    assert.equal(retries[0]!.delayMs, 60_000);
    assert.equal(api.requests.length, 1);
  } finally {
    await api.close();
  }
});

test('an already-aborted signal or an unpriced model fails before any request is made', async () => {
  const api = await startMessagesApiServer(() => reply.text('never'));
  try {
    const client = createModelClient({ apiKey: 'k', baseURL: api.url, maxRetries: 0 });
    await assert.rejects(client.send({ ...base, messages: [{ role: 'user', content: 'go' }], signal: AbortSignal.abort() }), (e: unknown) => e instanceof LlmError && e.kind === 'cancelled');
    await assert.rejects(client.send({ ...base, model: 'gpt-zz', messages: [{ role: 'user', content: 'go' }] }), (e: unknown) => e instanceof LlmError && e.kind === 'bad-request' && /pricing:/.test(e.message));
    assert.equal(api.requests.length, 0);

    const priced = createModelClient({ apiKey: 'k', baseURL: api.url, maxRetries: 0, pricing: { 'gpt-zz': { input: 1, output: 1 } } });
    const r = await priced.send({ ...base, model: 'gpt-zz', messages: [{ role: 'user', content: 'go' }] });
    near(r.costUsd, (r.usage.input + r.usage.output + r.usage.cacheWrite * 1.25 + r.usage.cacheRead * 0.1) / 1e6);
  } finally {
    await api.close();
  }
});

test('onResponseStart fires once, at message_start, before the reply has finished streaming; not after a stream retry again', async () => {
  const slow = reply.slow(reply.text('a long answer'), { beforeMs: 30, streamMs: 300 });
  const api = await startMessagesApiServer(sequence(slow, fault.drop(0), slow));
  try {
    const client = createModelClient({ apiKey: 'k', baseURL: api.url, maxRetries: 0, streamRetryDelayMs: 1 });
    const t0 = performance.now();
    let startedAt: number | undefined;
    await client.send({ ...base, messages: [{ role: 'user', content: 'hi' }], onResponseStart: () => (startedAt = performance.now() - t0) });
    const totalMs = performance.now() - t0;
    assert.ok(startedAt !== undefined && startedAt >= 25 && totalMs - startedAt >= 250, `started at ${startedAt} ms of ${totalMs} ms`);

    let starts = 0;
    await client.send({ ...base, messages: [{ role: 'user', content: 'hi' }], onResponseStart: () => starts++ });
    assert.equal(api.requests.length, 3, 'the dropped stream was retried');
    assert.equal(starts, 1);
  } finally {
    await api.close();
  }
});
