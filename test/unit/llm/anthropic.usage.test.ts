import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages/messages';
import { createAnthropicClient } from '../../../src/core/llm/anthropic/client';
import { countCacheBreakpoints } from '../../../src/core/llm/anthropic/cacheBreakpoints';
import { LlmError } from '../../../src/core/llm/llmError';
import { createPricing } from '../../../src/core/llm/pricing';
import { routingClient } from '../../../src/core/llm/router';
import type { Message, ModelClient, ModelPrice, ModelRequest, ToolDefinition } from '../../../src/core/llm/types';
import { block, reply, sequence, startMessagesApiServer } from '../../support/messagesApiServer';
import { serving } from '../../support/modelApi/scriptedServer';

const near = (actual: number | undefined, expected: number): void =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`);
const tools: ToolDefinition[] = ['read_file', 'write_file'].map((name) => ({
  name,
  description: `${name} tool`,
  inputSchema: { type: 'object', properties: { path: { type: 'string' } } },
}));
const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });
/** The Anthropic client as a run uses it: behind the router that prices its replies. */
const pricedClient = (url: string, pricing: Record<string, ModelPrice> = {}): ModelClient =>
  routingClient(new Map([['anthropic', createAnthropicClient({ apiKey: 'k', baseURL: url })]]), createPricing(pricing));
const base: Omit<ModelRequest, 'messages'> = {
  model: 'claude-sonnet-4-6', // $3 / $15, cache write $3.75, cache read $0.30 per million
  maxTokens: 1024,
  system: 'You are the backend agent. Follow the project conventions. '.repeat(40),
  context: '# backend.context.md\nUse the repository pattern.\n'.repeat(60),
  tools,
};

test('usage and cost of a call, with cache writes priced at 1.25× input', async () => {
  const usage = {
    input_tokens: 1200,
    output_tokens: 300,
    cache_creation_input_tokens: 5000,
    cache_read_input_tokens: 0,
  };
  await serving(
    startMessagesApiServer(() =>
      reply.turn(['Reading it.', block.toolUse('read_file', { path: 'server/a.ts' })], undefined, { usage }),
    ),
    async (api) => {
      const client = pricedClient(api.url);
      const r = await client.send({ ...base, messages: [user('add an endpoint')] });
      assert.deepEqual(r.usage, { input: 1200, output: 300, cacheWrite: 5000, cacheRead: 0 });
      near(r.costUsd, (1200 * 3 + 300 * 15 + 5000 * 3.75) / 1e6);
      assert.equal(r.stopReason, 'tool_use');
      assert.equal(r.model, 'claude-sonnet-4-6');
      const call = r.content[1];
      assert.ok(call?.type === 'tool_call');
      assert.deepEqual(call.input, { path: 'server/a.ts' });
    },
  );
});

test('the second call of a conversation carries the breakpoints and pays cache reads at 0.1× input', async () => {
  await serving(
    startMessagesApiServer(sequence(reply.toolUse('read_file', { path: 'server/a.ts' }), reply.text('done'))),
    async (api) => {
      const client = pricedClient(api.url);
      const messages: Message[] = [user('add an endpoint')];
      const first = await client.send({ ...base, messages });
      const call = first.content[0];
      assert.ok(call?.type === 'tool_call');
      messages.push(
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', callId: call.id, content: 'export const a = 1;' }] },
      );
      const second = await client.send({ ...base, messages });

      const wire = api.requests[1]!.body;
      assert.ok(Array.isArray(wire.system) && wire.system.length === 2);
      assert.ok(
        wire.system.every((b) => b.cache_control?.type === 'ephemeral'),
        'system and context blocks are marked',
      );
      assert.equal(wire.tools?.at(-1)?.cache_control?.type, 'ephemeral');
      const lastUser = wire.messages.at(-1)!;
      assert.ok(Array.isArray(lastUser.content));
      assert.equal(
        (lastUser.content.at(-1) as { type: string; cache_control?: { type: string } }).cache_control?.type,
        'ephemeral',
      );
      assert.equal(
        countCacheBreakpoints({ system: wire.system, tools: wire.tools, messages: wire.messages as MessageParam[] }),
        4,
      );
      assert.equal(messages.length, 3, "the caller's conversation is not modified");
      assert.ok(!JSON.stringify(messages).includes('cache_control'));

      assert.ok(first.usage.cacheWrite > 0 && first.usage.cacheRead === 0);
      assert.equal(second.usage.cacheRead, first.usage.cacheWrite, 'turn 2 reads what turn 1 cached');
      const u = second.usage;
      near(second.costUsd, (u.input * 3 + u.output * 15 + u.cacheWrite * 3.75 + u.cacheRead * 3 * 0.1) / 1e6);
      assert.ok(second.costUsd! < first.costUsd!, 'the cached turn is cheaper although its prompt is longer');
    },
  );
});

test('an AbortSignal cancels a slow reply mid-stream and nothing is retried', async () => {
  const controller = new AbortController();
  const api = await startMessagesApiServer(() => {
    setTimeout(() => controller.abort(), 30);
    return reply.slow(reply.text('a b c d e f g h'), { betweenMs: 60_000 });
  });
  try {
    const client = pricedClient(api.url);
    await assert.rejects(
      client.send({ ...base, messages: [user('go')], signal: controller.signal }),
      (e: unknown) => e instanceof LlmError && e.kind === 'cancelled',
    );
    await api.idle();
    assert.equal(api.requests.length, 1);
  } finally {
    await api.close();
  }
});

test('an already-aborted signal makes no request; a model with no price is unpriced until the config prices it', async () => {
  await serving(
    startMessagesApiServer(() => reply.text('fine')),
    async (api) => {
      const client = pricedClient(api.url);
      await assert.rejects(
        client.send({ ...base, messages: [user('go')], signal: AbortSignal.abort() }),
        (e: unknown) => e instanceof LlmError && e.kind === 'cancelled',
      );
      assert.equal(api.requests.length, 0);
      const unpriced = await client.send({ ...base, model: 'gpt-zz', messages: [user('go')] });
      assert.equal(unpriced.costUsd, undefined);

      const r = await pricedClient(api.url, { 'gpt-zz': { input: 1, output: 1 } }).send({
        ...base,
        model: 'gpt-zz',
        messages: [user('go')],
      });
      near(r.costUsd, (r.usage.input + r.usage.output + r.usage.cacheWrite * 1.25 + r.usage.cacheRead * 0.1) / 1e6);
    },
  );
});

test('onResponseStart fires once, at message_start, before the reply has finished streaming', async () => {
  const slow = reply.slow(reply.text('a long answer'), { beforeMs: 30, streamMs: 300 });
  await serving(startMessagesApiServer(sequence(slow)), async (api) => {
    const client = pricedClient(api.url);
    const t0 = performance.now();
    let startedAt: number | undefined;
    let starts = 0;
    await client.send({
      ...base,
      messages: [user('hi')],
      onResponseStart: () => ((startedAt ??= performance.now() - t0), starts++),
    });
    const totalMs = performance.now() - t0;
    assert.ok(
      startedAt !== undefined && startedAt >= 25 && totalMs - startedAt >= 250,
      `started at ${startedAt} ms of ${totalMs} ms`,
    );
    assert.equal(starts, 1);
  });
});
