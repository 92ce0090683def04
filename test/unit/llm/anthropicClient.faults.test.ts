import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createModelClient, type ModelClientOptions } from '../../../src/core/llm/anthropicClient';
import { LlmError, type LlmErrorKind } from '../../../src/core/llm/llmError';
import type { RetryInfo } from '../../../src/core/llm/retryObserver';
import type { ModelRequest } from '../../../src/core/llm/types';
import { fault, reply, sequence, startMessagesApiServer, type Script } from '../../support/messagesApiServer';

const API_KEY = 'sk-ant-test-0123456789-secret';
const request: ModelRequest = { model: 'claude-sonnet-4-6', maxTokens: 256, system: 'You are a test agent.', tools: [], messages: [{ role: 'user', content: 'hi' }] };

/** Runs one send() against a scripted server and returns what happened. */
async function run(script: Script, options: Partial<ModelClientOptions> = {}) {
  const api = await startMessagesApiServer(script);
  const retries: RetryInfo[] = [];
  try {
    const client = createModelClient({ apiKey: API_KEY, baseURL: api.url, maxRetries: 2, streamRetries: 2, streamRetryDelayMs: 1, onRetry: (r) => retries.push(r), ...options });
    const outcome = await client.send(request).then(
      (value) => ({ reply: value, error: undefined }),
      (error: unknown) => ({ reply: undefined, error }),
    );
    return { ...outcome, requests: api.requests.length, retries };
  } finally {
    await api.close();
  }
}

const textOf = (r: Awaited<ReturnType<typeof run>>): string => (r.reply?.content[0]?.type === 'text' ? r.reply.content[0].text : '');

function assertLlmError(error: unknown, kind: LlmErrorKind): LlmError {
  assert.ok(error instanceof LlmError, `expected LlmError, got ${String(error)}`);
  assert.equal(error.kind, kind, error.message);
  assert.ok(!error.message.includes(API_KEY), 'the message must not contain the API key');
  return error;
}

test('retried by the SDK: 429 with retry-after-ms, 429 with retry-after seconds, 529, 500', async () => {
  for (const first of [fault.rateLimit({ retryAfterMs: 5 }), fault.rateLimit({ retryAfterSeconds: 0.01 }), fault.overloaded(), fault.serverError()]) {
    const r = await run(sequence(first, reply.text('recovered')));
    assert.equal(r.error, undefined, `${first.kind}: ${String(r.error)}`);
    assert.equal(textOf(r), 'recovered');
    assert.equal(r.requests, 2);
    assert.equal(r.retries.length, 1);
    assert.equal(r.retries[0]!.by, 'sdk');
    assert.match(r.retries[0]!.reason, /^(429|529|500) /);
  }
});

test('when the SDK runs out of retries the last failure surfaces as one LlmError', async () => {
  const r = await run(() => fault.overloaded(), { maxRetries: 1 });
  assertLlmError(r.error, 'overloaded');
  assert.equal(r.requests, 2);
  const limited = await run(() => fault.rateLimit({ retryAfterMs: 1 }), { maxRetries: 1 });
  assertLlmError(limited.error, 'rate-limit');
});

test('retried by the client: a dropped connection or an error event before any content', async () => {
  for (const first of [fault.drop(0), fault.drop(1), fault.streamError(0), fault.streamError(1, 'api_error')]) {
    const r = await run(sequence(first, reply.text('second time lucky')));
    assert.equal(r.error, undefined, `${first.kind}: ${String(r.error)}`);
    assert.equal(textOf(r), 'second time lucky');
    assert.equal(r.requests, 2);
    assert.deepEqual(r.retries.map((x) => [x.by, x.attempt]), [['stream', 1]]);
  }
});

test('stream retries stop at the limit', async () => {
  const r = await run(() => fault.streamError(0), { streamRetries: 1 });
  assertLlmError(r.error, 'overloaded');
  assert.equal(r.requests, 2);
});

test('never retried after partial output: a drop or an error event after content', async () => {
  const dropped = await run(sequence(fault.drop(2), reply.text('must not be requested')));
  const error = assertLlmError(dropped.error, 'network');
  assert.equal(error.partialOutput, true);
  assert.match(error.message, /cut off after partial output/);
  assert.equal(dropped.requests, 1);

  const errored = await run(sequence(fault.streamError(3), reply.text('must not be requested')));
  assert.equal(assertLlmError(errored.error, 'overloaded').partialOutput, true);
  assert.equal(errored.requests, 1);
});

test('not retried: 401 and 403 are one clear auth error that never shows the key', async () => {
  const r = await run(() => fault.auth());
  const error = assertLlmError(r.error, 'auth');
  assert.equal(error.status, 401);
  assert.match(error.message, /ANTHROPIC_API_KEY/);
  assert.equal(r.requests, 1);

  // Even if the server echoed the key back, the message redacts it.
  const echoed = await run(() => fault.httpError(403, 'permission_error', `key ${API_KEY} may not use this model`));
  const leaked = assertLlmError(echoed.error, 'auth');
  assert.match(leaked.message, /\[redacted\]/);
  assert.equal(echoed.requests, 1);
});

test('not retried: every shape of spend or credit limit is one spend-limit error', async () => {
  for (const variant of ['enforced', 'usage-limit', 'credit-balance'] as const) {
    const r = await run(() => fault.spendLimit(variant));
    const error = assertLlmError(r.error, 'spend-limit');
    assert.match(error.message, /spend or credit limit/);
    assert.equal(r.requests, 1, `${variant} must not be retried`);
    assert.equal(r.retries.length, 0);
  }
});

test('a plain 400 is a bad-request error and is not retried', async () => {
  const r = await run(() => fault.httpError(400, 'invalid_request_error', 'messages: at least one message is required'));
  assert.match(assertLlmError(r.error, 'bad-request').message, /at least one message is required/);
  assert.equal(r.requests, 1);
});

test('an unreachable endpoint is a network error', async () => {
  const api = await startMessagesApiServer(() => reply.text('never'));
  const url = api.url;
  await api.close();
  const client = createModelClient({ apiKey: API_KEY, baseURL: url, maxRetries: 0 });
  await assert.rejects(client.send(request), (e: unknown) => assertLlmError(e, 'network') instanceof LlmError);
});

test('a missing API key is refused before any request', () => {
  assert.throws(() => createModelClient({ apiKey: '' }), (e: unknown) => assertLlmError(e, 'auth') instanceof LlmError);
});
