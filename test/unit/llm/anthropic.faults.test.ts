// The Anthropic client's failures, each mapped to one neutral LlmError kind. The client itself
// never retries (the engine's API-weather policy does, for every provider: apiWeather.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAnthropicClient } from '../../../src/core/llm/anthropic/client';
import { LlmError, type LlmErrorKind } from '../../../src/core/llm/llmError';
import type { ModelRequest } from '../../../src/core/llm/types';
import { fault, reply, sequence, startMessagesApiServer, type Script } from '../../support/messagesApiServer';
import { serving } from '../../support/modelApi/scriptedServer';

const API_KEY = 'sk-ant-test-0123456789-secret';
const request: ModelRequest = {
  model: 'claude-sonnet-4-6',
  maxTokens: 256,
  system: 'You are a test agent.',
  tools: [],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
};

/** Runs one send() against a scripted server and returns what happened. */
async function run(script: Script) {
  return serving(startMessagesApiServer(script), async (api) => {
    const client = createAnthropicClient({ apiKey: API_KEY, baseURL: api.url });
    const outcome = await client.send(request).then(
      (value) => ({ reply: value, error: undefined }),
      (error: unknown) => ({ reply: undefined, error }),
    );
    await api.idle();
    return { ...outcome, requests: api.requests.length };
  });
}

function assertLlmError(error: unknown, kind: LlmErrorKind): LlmError {
  assert.ok(error instanceof LlmError, `expected LlmError, got ${String(error)}`);
  assert.equal(error.kind, kind, error.message);
  assert.ok(!error.message.includes(API_KEY), 'the message must not contain the API key');
  return error;
}

test('API weather maps to its kinds, with retry-after when the API sent one; one request each', async () => {
  const cases: [ReturnType<typeof fault.overloaded>, LlmErrorKind, number | undefined][] = [
    [fault.rateLimit({ retryAfterMs: 1500 }), 'rate-limit', 1500],
    [fault.rateLimit({ retryAfterSeconds: 2 }), 'rate-limit', 2000],
    [fault.overloaded(), 'overloaded', undefined],
    [fault.serverError(), 'server', undefined],
    [fault.httpError(503, 'api_error', 'Service unavailable', { 'retry-after': '3' }), 'server', 3000],
  ];
  for (const [scripted, kind, retryAfter] of cases) {
    const r = await run(sequence(scripted));
    const error = assertLlmError(r.error, kind);
    assert.equal(error.details.retryAfterMs, retryAfter, `${scripted.kind} retry-after`);
    assert.equal(r.requests, 1, `${scripted.kind}: the client does not retry by itself`);
  }
});

test('a dropped connection or an error event in a 200 stream: before content, and after it (partial output)', async () => {
  const before = await run(sequence(fault.drop(0)));
  assert.equal(assertLlmError(before.error, 'network').partialOutput, false);
  const errored = await run(sequence(fault.streamError(0, 'api_error')));
  assertLlmError(errored.error, 'server');

  const dropped = await run(sequence(fault.drop(2)));
  const error = assertLlmError(dropped.error, 'network');
  assert.equal(error.partialOutput, true);
  assert.match(error.message, /cut off after partial output/);
  assert.equal(assertLlmError((await run(sequence(fault.streamError(3)))).error, 'overloaded').partialOutput, true);
});

test('401 and 403 are one clear auth error that never shows the key', async () => {
  const r = await run(() => fault.auth());
  const error = assertLlmError(r.error, 'auth');
  assert.equal(error.status, 401);
  assert.match(error.message, /ANTHROPIC_API_KEY/);

  // Even if the server echoed the key back, the message redacts it.
  const echoed = await run(() => fault.httpError(403, 'permission_error', `key ${API_KEY} may not use this model`));
  assert.match(assertLlmError(echoed.error, 'auth').message, /\[redacted\]/);
});

test('every shape of spend or credit limit is one spend-limit error, the 429 one included', async () => {
  for (const variant of ['enforced', 'usage-limit', 'credit-balance'] as const) {
    const r = await run(() => fault.spendLimit(variant));
    assert.match(assertLlmError(r.error, 'spend-limit').message, /spend or credit limit/);
  }
});

test('"prompt is too long" is a context-length error with the sizes; a plain 400 a bad request; a 404 an unknown model', async () => {
  const long = await run(() =>
    fault.httpError(400, 'invalid_request_error', 'prompt is too long: 210345 tokens > 200000 maximum'),
  );
  const error = assertLlmError(long.error, 'context-length');
  assert.deepEqual([error.details.promptTokens, error.details.limitTokens], [210345, 200000]);

  const bad = await run(() =>
    fault.httpError(400, 'invalid_request_error', 'messages: at least one message is required'),
  );
  assert.match(assertLlmError(bad.error, 'bad-request').message, /at least one message is required/);
  assertLlmError((await run(() => fault.httpError(404, 'not_found_error', 'model: claude-nope'))).error, 'not-found');
});

test('an unreachable endpoint is a network error', async () => {
  const api = await startMessagesApiServer(() => reply.text('never'));
  const url = api.url;
  await api.close();
  const client = createAnthropicClient({ apiKey: API_KEY, baseURL: url });
  await assert.rejects(client.send(request), (e: unknown) => assertLlmError(e, 'network') instanceof LlmError);
});

test('a missing API key is refused before any request', () => {
  assert.throws(
    () => createAnthropicClient({ apiKey: '' }),
    (e: unknown) => assertLlmError(e, 'auth') instanceof LlmError,
  );
});
