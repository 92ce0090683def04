// The Responses API test server against the real `openai` package and raw HTTP: the SSE event
// sequence, function and custom tool calls, usage, faults, and the canonical view of a request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startResponsesApiServer } from '../../support/responsesApiServer';
import { block, fault, lastToolResults, reply, sequence, systemText } from '../../support/messagesApiServer';
import { serving } from '../../support/modelApi/scriptedServer';

async function rawEvents(
  url: string,
  body: object,
): Promise<{ status: number; events: { event: string; data: Record<string, unknown> }[] }> {
  const res = await fetch(`${url}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, stream: true }),
  });
  const text = await res.text();
  const events = text
    .split('\n\n')
    .filter(Boolean)
    .map((frame) => {
      const event = /^event: (.+)$/m.exec(frame)?.[1] ?? '';
      const data = JSON.parse(/^data: (.+)$/m.exec(frame)?.[1] ?? '{}') as Record<string, unknown>;
      return { event, data };
    });
  return { status: res.status, events };
}

const patchTool = {
  type: 'custom',
  name: 'apply_patch',
  description: 'edit files',
  format: { type: 'grammar', syntax: 'lark', definition: 'start: /.+/' },
};
const shellTool = {
  type: 'function',
  name: 'exec_command',
  parameters: { type: 'object', properties: { cmd: { type: 'string' } } },
};

test('SSE: created, in_progress, a message with text deltas, a function call and a custom tool call in deltas, then completed with usage; sequence numbers count up', async () => {
  const patch = '*** Begin Patch\n*** Add File: db/users.sql\n+create table users (id int);\n*** End Patch\n';
  await serving(
    startResponsesApiServer(() =>
      reply.turn([
        'Adding the table.',
        block.toolUse('exec_command', { cmd: 'ls db' }),
        block.toolUse('apply_patch', patch),
      ]),
    ),
    async (api) => {
      const { status, events } = await rawEvents(api.url, {
        model: 'gpt-5.5',
        input: 'go',
        tools: [shellTool, patchTool],
      });
      assert.equal(status, 200);
      const types = events.map((e) => e.event);
      assert.deepEqual(types.slice(0, 3), ['response.created', 'response.in_progress', 'response.output_item.added']);
      assert.equal(types.at(-1), 'response.completed');
      assert.deepEqual(
        events.map((e) => e.data.sequence_number),
        events.map((_e, i) => i),
      );
      assert.ok(
        events.every((e) => e.data.type === e.event),
        'each data names its event',
      );
      assert.ok(types.filter((t) => t === 'response.output_text.delta').length >= 2);
      const args = events
        .filter((e) => e.event === 'response.function_call_arguments.delta')
        .map((e) => String(e.data.delta));
      assert.ok(args.length >= 2);
      assert.deepEqual(JSON.parse(args.join('')), { cmd: 'ls db' });
      const input = events
        .filter((e) => e.event === 'response.custom_tool_call_input.delta')
        .map((e) => String(e.data.delta))
        .join('');
      assert.equal(input, patch);
      const done = events
        .filter((e) => e.event === 'response.output_item.done')
        .map((e) => (e.data.item as { type: string }).type);
      assert.deepEqual(done, ['message', 'function_call', 'custom_tool_call']);
      const completed = events.at(-1)!.data.response as {
        status: string;
        usage: { input_tokens: number; output_tokens: number; total_tokens: number };
        output: unknown[];
      };
      assert.equal(completed.status, 'completed');
      assert.equal(completed.output.length, 3);
      assert.ok(completed.usage.input_tokens > 0 && completed.usage.output_tokens > 0);
      assert.equal(completed.usage.total_tokens, completed.usage.input_tokens + completed.usage.output_tokens);
    },
  );
});

test('the real openai package streams a function call and reads the final response; the request is recorded as sent and in canonical form', async () => {
  await serving(
    startResponsesApiServer(sequence(reply.toolUse('exec_command', { cmd: 'cat server/app.ts' }), reply.text('done'))),
    async (api) => {
      const client = new OpenAI({ apiKey: 'sk-test-1', baseURL: api.url, maxRetries: 0 });
      const stream = client.responses.stream({
        model: 'gpt-5.5',
        instructions: 'You are the backend agent.',
        input: [
          { role: 'developer', content: 'Stay inside server/.' },
          { role: 'user', content: 'task' },
          { type: 'function_call', call_id: 'call_1', name: 'exec_command', arguments: '{"cmd":"ls"}' },
          { type: 'function_call_output', call_id: 'call_1', output: 'app.ts' },
        ],
        tools: [{ type: 'function', name: 'exec_command', parameters: shellTool.parameters, strict: false }],
      });
      let args = '';
      stream.on('response.function_call_arguments.delta', (e) => (args += e.delta));
      const final = await stream.finalResponse();
      assert.deepEqual(JSON.parse(args), { cmd: 'cat server/app.ts' });
      const call = final.output.find((o) => o.type === 'function_call');
      assert.equal(call?.type === 'function_call' ? call.name : '', 'exec_command');
      assert.ok((final.usage?.input_tokens ?? 0) > 0);

      const [recorded] = api.requests;
      assert.equal(recorded!.headers.authorization, 'Bearer sk-test-1');
      assert.equal(recorded!.wire.instructions, 'You are the backend agent.');
      assert.match(systemText(recorded!), /backend agent[\s\S]*Stay inside server/);
      assert.deepEqual(lastToolResults(recorded!), [{ tool_use_id: 'call_1', is_error: false, text: 'app.ts' }]);
      const assistant = recorded!.body.messages.find((m) => m.role === 'assistant');
      assert.deepEqual(assistant?.content, [
        { type: 'tool_use', id: 'call_1', name: 'exec_command', input: { cmd: 'ls' } },
      ]);
    },
  );
});

test('a non-streaming request gets the whole response object', async () => {
  await serving(
    startResponsesApiServer(() => reply.text('{"verdict":"approved","issues":[]}')),
    async (api) => {
      const client = new OpenAI({ apiKey: 'k', baseURL: api.url, maxRetries: 0 });
      const response = await client.responses.create({
        model: 'gpt-5.5',
        input: 'review',
        text: { format: { type: 'json_schema', name: 'review', schema: { type: 'object' }, strict: true } },
      });
      assert.equal(response.output_text, '{"verdict":"approved","issues":[]}');
      assert.deepEqual(api.requests[0]!.wire.text?.format?.type, 'json_schema');
    },
  );
});

test("faults: 429 with retry-after in OpenAI's envelope, a wrong key, response.failed inside a 200 stream, a dropped connection, unknown paths recorded as strays", async () => {
  await serving(
    startResponsesApiServer(
      sequence(
        fault.rateLimit({ retryAfterSeconds: 2 }),
        fault.streamError(1, 'api_error'),
        fault.drop(2),
        reply.text('after'),
      ),
      { apiKey: 'sk-right' },
    ),
    async (api) => {
      const limited = await fetch(`${api.url}/responses`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-right' },
        body: JSON.stringify({ model: 'm', input: 'x', stream: true }),
      });
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '2');
      assert.equal(((await limited.json()) as { error: { code: string } }).error.code, 'rate_limit_exceeded');

      const wrongKey = await fetch(`${api.url}/responses`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-wrong' },
        body: JSON.stringify({ model: 'm', input: 'x' }),
      });
      assert.equal(wrongKey.status, 401);

      const failed = await fetch(`${api.url}/responses`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-right' },
        body: JSON.stringify({ model: 'm', input: 'x', stream: true }),
      });
      const text = await failed.text();
      assert.equal(failed.status, 200);
      assert.match(text, /event: response\.failed/);
      assert.doesNotMatch(text, /response\.completed/);

      const dropped = await fetch(`${api.url}/responses`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-right' },
        body: JSON.stringify({ model: 'm', input: 'x', stream: true }),
      });
      await assert.rejects(dropped.text());

      await fetch(`${api.url}/models`);
      assert.deepEqual(api.strays, ['GET /v1/models']);
    },
  );
});
