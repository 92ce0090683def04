import { test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { fault, reply, sequence, startMessagesApiServer, type ScriptedFault } from '../../support/messagesApiServer';
import { postAndReadSse } from '../../support/messagesApi/readSse';
import { serving } from '../../support/modelApi/scriptedServer';

const basic = { model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user' as const, content: 'hi' }] };

async function rawError(item: ScriptedFault): Promise<{
  status: number;
  headers: Headers;
  body: {
    type: string;
    error: { type: string; message: string; details?: { error_code: string } };
    request_id: string;
  };
}> {
  return serving(
    startMessagesApiServer(() => item),
    async (api) => {
      const response = await fetch(`${api.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(basic),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as never };
    },
  );
}

test('HTTP faults use the API error envelope, status and headers', async () => {
  const limited = await rawError(fault.rateLimit({ retryAfterMs: 25, retryAfterSeconds: 1 }));
  assert.equal(limited.status, 429);
  assert.equal(limited.body.type, 'error');
  assert.equal(limited.body.error.type, 'rate_limit_error');
  assert.equal(limited.headers.get('retry-after-ms'), '25');
  assert.equal(limited.headers.get('retry-after'), '1');
  assert.match(limited.body.request_id, /^req_/);

  const table: [ScriptedFault, number, string][] = [
    [fault.overloaded(), 529, 'overloaded_error'],
    [fault.serverError(), 500, 'api_error'],
    [fault.auth(), 401, 'authentication_error'],
    [fault.spendLimit('enforced'), 429, 'rate_limit_error'],
    [fault.spendLimit('usage-limit'), 400, 'invalid_request_error'],
    [fault.spendLimit('credit-balance'), 400, 'invalid_request_error'],
    [fault.httpError(403, 'permission_error', 'no access to this model'), 403, 'permission_error'],
  ];
  for (const [item, status, type] of table) {
    const got = await rawError(item);
    assert.equal(got.status, status, `${item.kind} status`);
    assert.equal(got.body.error.type, type, `${item.kind} type`);
  }
  const enforced = await rawError(fault.spendLimit('enforced'));
  assert.equal(enforced.body.error.details?.error_code, 'enforced_spend_limit_reached');
  assert.equal(enforced.headers.get('retry-after'), null, 'a spend limit gives no retry-after');
  assert.match((await rawError(fault.spendLimit('credit-balance'))).body.error.message, /credit balance is too low/);
});

test('the SDK retries a 429 honouring retry-after-ms, then gets the scripted reply', async () => {
  await serving(
    startMessagesApiServer(sequence(fault.rateLimit({ retryAfterMs: 10 }), fault.overloaded(), reply.text('finally'))),
    async (api) => {
      const client = new Anthropic({ apiKey: 'k', baseURL: api.url, maxRetries: 2 });
      const message = await client.messages.create(basic);
      assert.deepEqual(
        message.content.map((b) => (b.type === 'text' ? b.text : '')),
        ['finally'],
      );
      assert.deepEqual(
        api.requests.map((r) => r.headers['x-stainless-retry-count']),
        ['0', '1', '2'],
      );
    },
  );
});

test('a dropped connection cuts the stream after exactly N content events (0 included)', async () => {
  for (const n of [0, 1, 3]) {
    await serving(
      startMessagesApiServer(() => fault.drop(n, reply.text('abcdefghijkl'))),
      async (api) => {
        const read = await postAndReadSse(api.url, basic);
        assert.equal(read.status, 200);
        assert.ok(read.error, `drop after ${n}: the body ends with an error`);
        const names = read.events.map((e) => e.event);
        assert.deepEqual(names.slice(0, 2), ['message_start', 'ping']);
        assert.equal(names.filter((e) => e.startsWith('content_block')).length, n);
        assert.ok(!names.includes('message_stop'));
      },
    );
  }
});

test('the SDK sees a dropped stream as an error, and a dropped JSON request as a connection error', async () => {
  await serving(startMessagesApiServer(sequence(fault.drop(2), fault.drop(0))), async (api) => {
    const client = new Anthropic({ apiKey: 'k', baseURL: api.url, maxRetries: 0 });
    await assert.rejects(client.messages.stream(basic).finalMessage());
    await assert.rejects(client.messages.create(basic), Anthropic.APIConnectionError);
  });
});

test('an error event inside a 200 stream reaches the SDK as an overloaded_error', async () => {
  await serving(
    startMessagesApiServer(() => fault.streamError(3)),
    async (api) => {
      const read = await postAndReadSse(api.url, basic);
      assert.equal(read.status, 200);
      assert.equal(read.error, undefined, 'the stream ends normally after the error event');
      const last = read.events.at(-1)!;
      assert.equal(last.event, 'error');
      assert.deepEqual((last.data as { error: { type: string } }).error.type, 'overloaded_error');

      const client = new Anthropic({ apiKey: 'k', baseURL: api.url, maxRetries: 0 });
      await assert.rejects(
        client.messages.stream(basic).finalMessage(),
        (e: unknown) => e instanceof Anthropic.APIError && e.type === 'overloaded_error',
      );
    },
  );
});

test('the apiKey option rejects other keys with 401 without consulting the script', async () => {
  let consulted = 0;
  await serving(
    startMessagesApiServer(() => (consulted++, reply.text('ok')), { apiKey: 'right' }),
    async (api) => {
      const wrong = new Anthropic({ apiKey: 'wrong', baseURL: api.url, maxRetries: 0 });
      await assert.rejects(wrong.messages.create(basic), Anthropic.AuthenticationError);
      const right = new Anthropic({ apiKey: 'right', baseURL: api.url, maxRetries: 0 });
      await right.messages.create(basic);
      assert.equal(consulted, 1);
    },
  );
});
