import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildToolSet } from '../../../src/core/agents';
import type { ModelClient, ModelReply, ModelRequest } from '../../../src/core/llm/types';
import { cacheTurns, MAX_WAIT_MS, startOrder, waveCacheTurns } from '../../../src/core/pipeline/agent/cacheTurns';
import type { RunContext } from '../../../src/core/pipeline/kernel/runContext';
import { createLimiter, runWaves } from '../../../src/core/pipeline/kernel/waves';
import { parseConfig } from '../../../src/core/project/config/config';

const config = parseConfig(`
version: 1
models:
  default: claude-sonnet-5-5
  agents:
    docs: claude-opus-5-5
layers:
  database: { owns: ["db/**"] }
  backend: { owns: ["server/**"] }
  docs: { owns: ["docs/**"] }
  frontend: { owns: ["web/**"], after: [backend] }
`);

const runContext = (signal?: AbortSignal): RunContext =>
  ({ config, ...(signal ? { signal } : {}) }) as unknown as RunContext;

/** Big enough to be cached (≥ 1,024 tokens with the tools). */
const SHARED = 'The approved spec, the registry entry and memory. '.repeat(100);
const prompt = (shared = SHARED) => ({ shared, owns: ['x/**'] });

const reply: ModelReply = {
  content: [],
  stopReason: 'end',
  usage: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
  costUsd: 0,
  model: 'm',
};

/** A client whose calls the test settles: `begin()` starts the response, `finish()` ends it. */
function manualClient() {
  const calls: { request: ModelRequest; begin(): void; finish(error?: Error): void }[] = [];
  const client: ModelClient = {
    send: (request) =>
      new Promise<ModelReply>((resolve, reject) => {
        calls.push({
          request,
          begin: () => request.onResponseStart?.(),
          finish: (error) => (error ? reject(error) : resolve(reply)),
        });
      }),
  };
  return { client, calls };
}

const request = (shared = SHARED): ModelRequest => ({
  model: 'claude-sonnet-5-5',
  maxTokens: 10,
  shared,
  system: 's',
  // What runAgent sends a layer agent: read and write tools, submit_result.
  tools: buildToolSet({ owns: ['x/**'], finalTool: 'submit_result' }).definitions,
  messages: [{ role: 'user', content: [{ type: 'text', text: 'task' }] }],
});

/** Settles to 'waiting' when `promise` is still pending after a few ms. */
async function state(promise: Promise<unknown>): Promise<'settled' | 'waiting'> {
  return Promise.race([promise.then(() => 'settled' as const), sleep(20).then(() => 'waiting' as const)]);
}

test('startOrder: the layer later waves wait for starts first; otherwise config order', () => {
  assert.deepEqual(startOrder(config, ['database', 'backend'], ['frontend']), ['backend', 'database']);
  assert.deepEqual(startOrder(config, ['database', 'backend'], []), ['database', 'backend']);
});

test("a layer's first request waits for its leader's response to begin, not for the whole call; a served prefix is not waited for again", async () => {
  const ctx = runContext();
  const turns = cacheTurns(ctx, ['backend', 'database']);
  const { client, calls } = manualClient();
  const leader = turns.client('backend', client);
  const leaderDone = leader.send(request());
  const follower = turns.before('database', prompt());
  assert.equal(await state(follower), 'waiting');
  calls[0]!.begin();
  assert.equal(await state(follower), 'settled', 'released when the response began');
  assert.equal(await state(leaderDone), 'waiting', 'while the leader is still answering');
  calls[0]!.finish();
  await leaderDone;

  // Later in the run (the next wave, a review fix): the prefix's cache entry exists.
  const later = cacheTurns(ctx, ['backend', 'database']);
  assert.equal(await state(later.before('database', prompt())), 'settled');
});

test('nobody waits for a leader whose first call failed or who sends none, nor on another model, nor for a prefix too short to cache', async () => {
  const turns = cacheTurns(runContext(), ['backend', 'database', 'docs']);
  const { client, calls } = manualClient();
  const leaderDone = turns.client('backend', client).send(request());
  const follower = turns.before('database', prompt());
  assert.equal(await state(turns.before('database', prompt('short'))), 'settled');
  assert.equal(
    await state(turns.before('docs', prompt())),
    'settled',
    'docs runs on another model: it leads its own group',
  );
  calls[0]!.finish(new Error('overloaded'));
  await assert.rejects(leaderDone, /overloaded/);
  assert.equal(await state(follower), 'settled');

  const again = cacheTurns(runContext(), ['backend', 'database']);
  const waiting = again.before('database', prompt());
  again.release('backend'); // e.g. a resumed backend that only validates
  assert.equal(await state(waiting), 'settled');
});

test('a cancelled run stops the wait; the wait never exceeds MAX_WAIT_MS', async (t) => {
  const abort = new AbortController();
  const turns = cacheTurns(runContext(abort.signal), ['backend', 'database']);
  void turns.client('backend', manualClient().client).send(request());
  const follower = turns.before('database', prompt());
  assert.equal(await state(follower), 'waiting');
  abort.abort();
  assert.equal(await state(follower), 'settled');

  t.mock.timers.enable({ apis: ['setTimeout'] });
  const slow = cacheTurns(runContext(), ['backend', 'database']);
  void slow.client('backend', manualClient().client).send(request());
  const capped = slow.before('database', prompt());
  t.mock.timers.tick(MAX_WAIT_MS);
  await capped;
});

test('with one slot the leader starts first, so a wave never deadlocks', async () => {
  const ctx = runContext();
  const turns = waveCacheTurns(ctx);
  const { client, calls } = manualClient();
  const order: string[] = [];
  const done = runWaves(
    [['database', 'backend'], ['frontend']],
    createLimiter(1),
    { onWave: () => undefined, startOrder: turns.startOrder },
    async (layer, wave) => {
      const own = turns.of(wave);
      await own?.before(layer, prompt());
      order.push(layer);
      const sent = (own?.client(layer, client) ?? client).send(request());
      const call = calls.at(-1)!;
      call.begin();
      call.finish();
      await sent;
      own?.release(layer);
    },
  );
  await done;
  assert.deepEqual(order, ['backend', 'database', 'frontend']);
});
