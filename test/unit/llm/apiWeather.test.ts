// API weather against the Messages-API test server: transient failures are waited out within
// limits.apiRetryWindowSec (backoff, jitter, retry-after), visibly and cancellably.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent } from '../../../src/core/events';
import { createAnthropicClient } from '../../../src/core/llm/anthropic/client';
import { retryDelayMs, withApiWeather } from '../../../src/core/llm/apiWeather';
import { LlmError } from '../../../src/core/llm/llmError';
import { createPricing } from '../../../src/core/llm/pricing';
import { routingClient } from '../../../src/core/llm/router';
import type { ModelRequest } from '../../../src/core/llm/types';
import { fault, reply, sequence, startMessagesApiServer, type Script } from '../../support/messagesApiServer';

const request: ModelRequest = {
  model: 'claude-haiku-4-5',
  maxTokens: 256,
  system: 'You are a test agent.',
  tools: [],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
};
const overloaded = (retryAfterSeconds?: number) =>
  retryAfterSeconds === undefined
    ? fault.overloaded()
    : fault.httpError(529, 'overloaded_error', 'Overloaded', { 'retry-after': String(retryAfterSeconds) });

async function weather(
  script: Script,
  options: { windowMs?: number; baseDelayMs?: number; signal?: AbortSignal; onEvent?: (e: EngineEvent) => void } = {},
) {
  const api = await startMessagesApiServer(script);
  const events: EngineEvent[] = [];
  const client = withApiWeather(
    routingClient(new Map([['anthropic', createAnthropicClient({ apiKey: 'k', baseURL: api.url })]]), createPricing()),
    {
      agent: 'backend',
      windowMs: options.windowMs ?? 60_000,
      emit: (e) => (events.push(e), options.onEvent?.(e)),
      ...(options.baseDelayMs !== undefined ? { baseDelayMs: options.baseDelayMs } : {}),
    },
  );
  const t0 = Date.now();
  const outcome = await client.send({ ...request, ...(options.signal ? { signal: options.signal } : {}) }).then(
    (value) => ({ reply: value, error: undefined }),
    (error: unknown) => ({ reply: undefined, error: error as LlmError }),
  );
  const ms = Date.now() - t0;
  await api.idle();
  await api.close();
  const of = <T extends EngineEvent['type']>(type: T) =>
    events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);
  return { ...outcome, ms, requests: api.requests, of };
}

test('two 429s and a 529 within about 1.5 s are waited out; the call succeeds and costs one call', async () => {
  const r = await weather(
    sequence(
      fault.rateLimit({ retryAfterMs: 300 }),
      fault.rateLimit({ retryAfterSeconds: 0.4 }),
      overloaded(),
      reply.text('made it'),
    ),
    { baseDelayMs: 500 },
  );
  assert.equal(r.error, undefined, String(r.error));
  assert.deepEqual(r.reply!.content, [{ type: 'text', text: 'made it' }]);
  assert.equal(r.requests.length, 4);
  const waits = r.of('llm.waiting');
  assert.deepEqual(
    waits.map((w) => [w.kind, w.attempt]),
    [
      ['rate-limit', 1],
      ['rate-limit', 2],
      ['overloaded', 3],
    ],
  );
  assert.deepEqual(
    waits.map((w) => w.reason),
    ['rate limited (429)', 'rate limited (429)', 'overloaded (529)'],
  );
  assert.ok(waits[0]!.retryInMs >= 300 && waits[1]!.retryInMs >= 400, 'retry-after is honoured');
  assert.ok(r.requests[1]!.time - r.requests[0]!.time >= 300 && r.requests[2]!.time - r.requests[1]!.time >= 400);
  assert.deepEqual(
    r.of('llm.recovered').map((e) => e.attempts),
    [4],
  );
  const alone = createPricing().costOf('claude-haiku-4-5', r.reply!.usage);
  assert.equal(r.reply!.costUsd, alone, 'only the reply is priced: failed calls cost nothing');
});

test('five 529s with retry-after: 1 are waited out (about 5 s)', async () => {
  const r = await weather(
    sequence(overloaded(1), overloaded(1), overloaded(1), overloaded(1), overloaded(1), reply.text('finally')),
  );
  assert.equal(r.error, undefined, String(r.error));
  assert.equal(r.requests.length, 6);
  assert.ok(r.ms >= 5000, `waited ${r.ms} ms`);
  assert.ok(r.of('llm.waiting').every((w) => w.retryInMs >= 1000 && w.retryInMs <= 1100));
});

test('a storm longer than the window ends with the last error, marked as waited out', async () => {
  const r = await weather(() => overloaded(), { windowMs: 1200, baseDelayMs: 200 });
  assert.ok(r.error instanceof LlmError);
  assert.equal(r.error.kind, 'overloaded');
  assert.equal(r.error.details.weatherExhausted, true);
  assert.match(
    r.error.message,
    /^overloaded \(529\): still failing after \d+ s and \d+ attempts \(limits\.apiRetryWindowSec: 1\)/,
  );
  assert.ok(r.ms >= 1200, `gave up after ${r.ms} ms, before the window closed`);
  assert.ok(r.requests.length >= 3);
  const last = r.of('llm.waiting').at(-1)!;
  assert.ok(last.retryInMs <= last.windowLeftMs, 'the last wait ends when the window closes');
});

test('a retry-after beyond what is left of the window gives up at once', async () => {
  const r = await weather(() => fault.rateLimit({ retryAfterSeconds: 120 }), { windowMs: 10_000 });
  assert.equal(r.error?.kind, 'rate-limit');
  assert.match(r.error!.message, /asked to wait 2 min, beyond what is left of limits\.apiRetryWindowSec \(10 s\)/);
  assert.equal(r.requests.length, 1);
  assert.equal(r.of('llm.waiting').length, 0);
});

test('never retried: a spend limit (the 429 with enforced_spend_limit_reached), auth, a bad request', async () => {
  for (const scripted of [
    fault.spendLimit('enforced'),
    fault.auth(),
    fault.httpError(400, 'invalid_request_error', 'bad'),
  ]) {
    const r = await weather(() => scripted);
    assert.ok(r.error instanceof LlmError && r.error.details.weatherExhausted !== true);
    assert.equal(r.requests.length, 1, scripted.kind);
    assert.equal(r.of('llm.waiting').length, 0);
  }
});

test('dropped connections and error events are waited out, before content and after partial output', async () => {
  const r = await weather(
    sequence(fault.drop(0), fault.drop(2), fault.streamError(1, 'api_error'), reply.text('whole')),
    { baseDelayMs: 20 },
  );
  assert.equal(r.error, undefined, String(r.error));
  assert.deepEqual(
    r.of('llm.waiting').map((w) => w.kind),
    ['network', 'network', 'server'],
  );
  assert.equal(r.requests.length, 4);
});

test('cancelling during a wait ends the call at once, with no further request', async () => {
  const controller = new AbortController();
  const r = await weather(() => fault.rateLimit({ retryAfterSeconds: 30 }), {
    signal: controller.signal,
    onEvent: (e) => e.type === 'llm.waiting' && controller.abort(),
  });
  assert.equal(r.error?.kind, 'cancelled');
  assert.equal(r.requests.length, 1);
  assert.ok(r.ms < 5000, `took ${r.ms} ms`);
});

test('a window of 0 never retries', async () => {
  const r = await weather(() => overloaded(), { windowMs: 0 });
  assert.equal(r.error?.details.weatherExhausted, true);
  assert.equal(r.requests.length, 1);
});

test('backoff doubles from the base with jitter in its upper half, capped; retry-after wins', () => {
  const at = (random: number, attempt: number) =>
    retryDelayMs(new LlmError('overloaded', 'x'), attempt, {
      random: () => random,
      baseDelayMs: 1000,
      maxDelayMs: 8000,
    });
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((n) => at(0, n)),
    [500, 1000, 2000, 4000, 4000],
  );
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((n) => at(0.999, n)),
    [1000, 1999, 3998, 7996, 7996],
  );
  const limited = new LlmError('rate-limit', 'x', { retryAfterMs: 2000 });
  assert.equal(retryDelayMs(limited, 7, { random: () => 0 }), 2000);
  assert.ok(retryDelayMs(limited, 1, { random: () => 0.99 }) <= 2200);
});
