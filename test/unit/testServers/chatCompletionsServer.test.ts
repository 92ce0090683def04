// The Chat Completions test server against the real `openai` package and raw HTTP: the wire
// format (SSE chunks, tool-call deltas, the usage chunk, [DONE]), faults, and the canonical view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startChatCompletionsServer } from '../../support/chatCompletionsServer';
import { block, fault, lastToolResults, reply, sequence } from '../../support/messagesApiServer';
import { serving } from '../../support/modelApi/scriptedServer';

const basic = { model: 'gpt-test', messages: [{ role: 'user' as const, content: 'hi' }] };

async function rawStream(url: string, body: object): Promise<{ status: number; lines: string[] }> {
  const res = await fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, stream: true }),
  });
  const text = await res.text();
  return { status: res.status, lines: text.split('\n\n').filter(Boolean) };
}

test('SSE: a role chunk, text and tool-call argument deltas, the finish chunk, the usage chunk only when asked, then [DONE]', async () => {
  const input = { path: 'server/users.ts', content: 'export const users = [];\n'.repeat(4) };
  await serving(
    startChatCompletionsServer(() => reply.turn(['Writing it.', block.toolUse('write_file', input)])),
    async (api) => {
      const withUsage = await rawStream(api.url, { ...basic, stream_options: { include_usage: true } });
      assert.equal(withUsage.status, 200);
      assert.equal(withUsage.lines.at(-1), 'data: [DONE]');
      const chunks = withUsage.lines.slice(0, -1).map(
        (l) =>
          JSON.parse(l.slice('data: '.length)) as {
            choices: {
              delta: {
                role?: string;
                content?: string;
                tool_calls?: { index: number; id?: string; function: { name?: string; arguments?: string } }[];
              };
              finish_reason: string | null;
            }[];
            usage?: { prompt_tokens: number; completion_tokens: number };
          },
      );
      assert.equal(chunks[0]!.choices[0]!.delta.role, 'assistant');
      const args = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []).map((d) => d.function.arguments ?? '');
      assert.ok(args.filter(Boolean).length >= 3, 'arguments arrive in several deltas');
      assert.deepEqual(JSON.parse(args.join('')), input);
      assert.equal(chunks.at(-2)!.choices[0]!.finish_reason, 'tool_calls');
      assert.deepEqual(chunks.at(-1)!.choices, []);
      assert.ok(chunks.at(-1)!.usage!.prompt_tokens > 0 && chunks.at(-1)!.usage!.completion_tokens > 0);

      const without = await rawStream(api.url, basic);
      assert.ok(
        without.lines.slice(0, -1).every((l) => !l.includes('"usage"')),
        'no usage chunk unless include_usage',
      );
    },
  );
});

test('the real openai package streams a tool call and the usage; the request is recorded as sent and in canonical form', async () => {
  await serving(
    startChatCompletionsServer(() => reply.toolUse('read_file', { path: 'a.ts', offset: 10 })),
    async (api) => {
      const client = new OpenAI({ apiKey: 'sk-test-123', baseURL: api.url, maxRetries: 0 });
      const stream = await client.chat.completions.create({
        model: 'gpt-test',
        stream: true,
        stream_options: { include_usage: true },
        messages: [
          { role: 'system', content: 'You are the backend agent.' },
          { role: 'user', content: 'task' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'list_files', arguments: '{}' } }],
          },
          { role: 'tool', tool_call_id: 'call_1', content: 'ERROR: refused: outside the workspace' },
          { role: 'user', content: 'go on' },
        ],
        tools: [
          {
            type: 'function',
            function: { name: 'read_file', parameters: { type: 'object', properties: { path: { type: 'string' } } } },
          },
        ],
      });
      let args = '';
      let usage: OpenAI.CompletionUsage | undefined;
      for await (const chunk of stream) {
        args += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '';
        usage ??= chunk.usage ?? undefined;
      }
      assert.deepEqual(JSON.parse(args), { path: 'a.ts', offset: 10 });
      assert.ok(usage && usage.prompt_tokens > 0);
      const recorded = api.requests[0]!;
      assert.equal(recorded.headers.authorization, 'Bearer sk-test-123');
      assert.equal(recorded.wire.messages.length, 5);
      assert.deepEqual(recorded.body.system, [{ type: 'text', text: 'You are the backend agent.' }]);
      assert.deepEqual(
        recorded.body.messages.map((m) => m.role),
        ['user', 'assistant', 'user'],
      );
      assert.deepEqual(lastToolResults(recorded), [
        { tool_use_id: 'call_1', is_error: true, text: 'refused: outside the workspace' },
      ]);
      assert.equal((recorded.body.tools![0] as { name: string }).name, 'read_file');
    },
  );
});

test("faults in OpenAI's envelope: 429 with retry-after, quota, 500, 503, 401, a drop mid-stream, an error chunk", async () => {
  await serving(
    startChatCompletionsServer(
      sequence(
        fault.rateLimit({ retryAfterSeconds: 2 }),
        fault.spendLimit(),
        fault.serverError(),
        fault.overloaded(),
        fault.auth(),
        fault.drop(2),
        fault.streamError(1),
      ),
    ),
    async (api) => {
      const post = () =>
        fetch(`${api.url}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...basic, stream: true }),
        });
      const limited = await post();
      assert.deepEqual([limited.status, limited.headers.get('retry-after')], [429, '2']);
      assert.equal(((await limited.json()) as { error: { code: string } }).error.code, 'rate_limit_exceeded');
      assert.equal(((await (await post()).json()) as { error: { code: string } }).error.code, 'insufficient_quota');
      assert.equal((await post()).status, 500);
      const busy = await post();
      assert.equal(busy.status, 503);
      assert.match(((await busy.json()) as { error: { message: string } }).error.message, /overloaded/);
      assert.equal((await post()).status, 401);
      await assert.rejects(
        post().then((r) => r.text()),
        'the connection drops mid-stream',
      );
      const errored = await (await post()).text();
      assert.match(errored, /data: \{"error":\{"message":"The server is overloaded/);
      assert.doesNotMatch(errored, /\[DONE\]/);
    },
  );
});

test('a context window, a model without tools, and the model list', async () => {
  await serving(
    startChatCompletionsServer(() => reply.text('ok'), {
      contextWindow: 100,
      tools: false,
      models: ['gpt-test', 'llama3.1:latest'],
    }),
    async (api) => {
      const client = new OpenAI({ apiKey: 'k', baseURL: api.url, maxRetries: 0 });
      await assert.rejects(
        client.chat.completions.create({ ...basic, messages: [{ role: 'user', content: 'x'.repeat(1000) }] }),
        (e: unknown) =>
          e instanceof OpenAI.APIError &&
          e.code === 'context_length_exceeded' &&
          /maximum context length is 100 tokens/.test(e.message),
      );
      await assert.rejects(
        client.chat.completions.create({
          ...basic,
          tools: [{ type: 'function', function: { name: 't', parameters: { type: 'object' } } }],
        }),
        (e: unknown) => e instanceof OpenAI.APIError && e.status === 400 && /does not support tools/.test(e.message),
      );
      const ids: string[] = [];
      for await (const m of client.models.list()) ids.push(m.id);
      assert.deepEqual(ids, ['gpt-test', 'llama3.1:latest']);
    },
  );
});
