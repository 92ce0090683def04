import { test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import {
  apiKeyOf,
  block,
  reply,
  routeByMarker,
  sequence,
  startMessagesApiServer,
} from '../../support/messagesApiServer';
import { postAndReadSse } from '../../support/messagesApi/readSse';
import { serving } from '../../support/modelApi/scriptedServer';

const model = 'claude-sonnet-4-6';
const basic = { model, max_tokens: 64, messages: [{ role: 'user' as const, content: 'hi' }] };

test('streams the real event sequence with ping, split text and several input_json_delta chunks', async () => {
  const input = { path: 'server/users.ts', content: 'export const users = [];\n'.repeat(4) };
  await serving(
    startMessagesApiServer(() => reply.turn(['Writing the file now.', block.toolUse('write_file', input)])),
    async (api) => {
      const read = await postAndReadSse(api.url, basic);
      assert.equal(read.status, 200);
      assert.equal(read.headers.get('content-type'), 'text/event-stream');
      const names = read.events.map((e) => e.event);
      assert.deepEqual(names.slice(0, 3), ['message_start', 'ping', 'content_block_start']);
      assert.deepEqual(names.slice(-3), ['content_block_stop', 'message_delta', 'message_stop']);
      const deltas = read.events
        .filter((e) => e.event === 'content_block_delta')
        .map((e) => e.data as { index: number; delta: { type: string; text?: string; partial_json?: string } });
      const textChunks = deltas.filter((d) => d.delta.type === 'text_delta');
      const jsonChunks = deltas
        .filter((d) => d.delta.type === 'input_json_delta')
        .map((d) => d.delta.partial_json ?? '');
      assert.ok(textChunks.length > 1, 'text arrives in more than one delta');
      assert.ok(jsonChunks.filter((c) => c.length > 0).length >= 3, 'tool input arrives in several chunks');
      assert.deepEqual(JSON.parse(jsonChunks.join('')), input);
      const start = read.events[0]!.data as { message: { usage: Record<string, unknown> } };
      assert.equal(typeof start.message.usage.cache_creation_input_tokens, 'number');
      assert.equal(typeof start.message.usage.cache_read_input_tokens, 'number');
      const delta = read.events.at(-2)!.data as { delta: { stop_reason: string }; usage: { output_tokens: number } };
      assert.equal(delta.delta.stop_reason, 'tool_use');
      assert.ok(delta.usage.output_tokens > 0);
    },
  );
});

test('the real SDK assembles a streamed tool call and records the request with its headers', async () => {
  await serving(
    startMessagesApiServer(() => reply.toolUse('read_file', { path: 'a.ts', offset: 10 })),
    async (api) => {
      const client = new Anthropic({ apiKey: 'sk-test-123', baseURL: api.url, maxRetries: 0 });
      const message = await client.messages.stream({ ...basic, system: 'You are the backend agent.' }).finalMessage();
      assert.equal(message.stop_reason, 'tool_use');
      const call = message.content[0];
      assert.ok(call && call.type === 'tool_use');
      assert.equal(call.name, 'read_file');
      assert.deepEqual(call.input, { path: 'a.ts', offset: 10 });
      assert.match(call.id, /^toolu_/);
      assert.equal(api.requests.length, 1);
      const recorded = api.requests[0]!;
      assert.equal(apiKeyOf(recorded), 'sk-test-123');
      assert.equal(recorded.stream, true);
      assert.equal(recorded.body.system, 'You are the backend agent.');
      assert.equal(recorded.body.max_tokens, 64);
    },
  );
});

test('answers non-streaming requests as one JSON message', async () => {
  await serving(
    startMessagesApiServer(() =>
      reply.turn(['done', block.toolUse('submit_result', { status: 'done', summary: 's' }, 'toolu_fixed')], 'tool_use'),
    ),
    async (api) => {
      const client = new Anthropic({ apiKey: 'k', baseURL: api.url, maxRetries: 0 });
      const message = await client.messages.create(basic);
      assert.equal(message.type, 'message');
      assert.equal(message.stop_reason, 'tool_use');
      assert.deepEqual(
        message.content.map((b) => (b.type === 'text' ? b.text : b.type === 'tool_use' ? `${b.id}:${b.name}` : b.type)),
        ['done', 'toolu_fixed:submit_result'],
      );
      assert.equal(api.requests[0]!.stream, false);
    },
  );
});

test('a slow reply stops cleanly when the client aborts', async () => {
  await serving(
    startMessagesApiServer(() => reply.slow(reply.text('one two three four five six'), { betweenMs: 60_000 })),
    async (api) => {
      const client = new Anthropic({ apiKey: 'k', baseURL: api.url, maxRetries: 0 });
      const controller = new AbortController();
      const stream = client.messages.stream(basic, { signal: controller.signal });
      stream.on('streamEvent', (event) => {
        if (event.type === 'message_start') controller.abort();
      });
      await assert.rejects(stream.finalMessage(), Anthropic.APIUserAbortError);
      // Without a clean stop the server would keep waiting 60 s per event and this would hang.
      await api.idle();
      assert.equal(api.requests.length, 1);
    },
  );
});

test('a slow start (delay before headers) also ends when the client aborts', async () => {
  await serving(
    startMessagesApiServer(() => reply.slow(reply.text('late'), { beforeMs: 60_000 })),
    async (api) => {
      const client = new Anthropic({ apiKey: 'k', baseURL: api.url, maxRetries: 0 });
      const controller = new AbortController();
      const pending = client.messages.stream(basic, { signal: controller.signal }).finalMessage();
      while (api.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
      controller.abort();
      await assert.rejects(pending, Anthropic.APIUserAbortError);
      await api.idle();
    },
  );
});

test('routeByMarker sends each agent its own script with its own index; sequence fails loudly when exhausted', async () => {
  await serving(
    startMessagesApiServer(
      routeByMarker({
        '[agent:backend]': sequence(reply.text('backend 1'), reply.text('backend 2')),
        '[agent:frontend]': (_req, i) => reply.text(`frontend ${i + 1}`),
      }),
    ),
    async (api) => {
      const client = new Anthropic({ apiKey: 'k', baseURL: api.url, maxRetries: 0 });
      const ask = async (system: string): Promise<string> => {
        const m = await client.messages.create({ ...basic, system: [{ type: 'text', text: system }] });
        return m.content[0]?.type === 'text' ? m.content[0].text : '';
      };
      assert.equal(await ask('[agent:backend] build it'), 'backend 1');
      assert.equal(await ask('[agent:frontend] draw it'), 'frontend 1');
      assert.equal(await ask('[agent:backend] again'), 'backend 2');
      await assert.rejects(
        ask('[agent:backend] once more'),
        (e: unknown) => e instanceof Anthropic.BadRequestError && /script exhausted/.test(e.message),
      );
      await assert.rejects(ask('nobody'), Anthropic.BadRequestError);
      assert.equal(api.scriptErrors.length, 2);
    },
  );
});
