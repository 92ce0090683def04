import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { engine } from '../../../src/core/engine';
import { block, reply, type RecordedRequest } from '../../support/messagesApiServer';
import { say, specAnswer, type AgentScript } from '../../support/engine/agentScript';
import { BROKEN_PRODUCT_MODULE, PRODUCT_API_SPEC, PRODUCT_MODULE } from '../../support/engine/fixtures';
import { harness, journalOf } from '../../support/engine/harness';
import { withLimit } from '../../support/engine/shopWorkspace';

const MODULE = 'server/entities/product.js';

test('validate & retry: a build that fails once passes on the retry, which carries the error output', async () => {
  const h = await harness({
    spec: specAnswer('Product API', 'product-api', PRODUCT_API_SPEC),
    backend: ({ turn, attempt }) => {
      if (turn > 0) return say.done();
      return say.write({ [MODULE]: attempt === 1 ? BROKEN_PRODUCT_MODULE : PRODUCT_MODULE });
    },
    review: () => say.approve(),
  });
  try {
    const summary = await engine.runFeature('Add a Product entity to the API', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.deepEqual(summary.retries, { backend: 1 });

    const retry = h.callsOf('backend').find((c) => c.attempt === 2 && c.turn === 0)!;
    assert.ok(retry.continued, 'the retry continues the conversation of the first attempt');
    assert.match(retry.task, /## RETRY MODE/);
    assert.match(retry.task, /Attempt 1 of 2/);
    assert.match(retry.task, /node scripts\/check-server\.js server/);
    // The exact error the orchestrator's own build run printed: file, line and message.
    assert.match(retry.task, /server\/entities\/product\.js:\d+: SyntaxError/);
    assert.equal(h.shop.read(MODULE), PRODUCT_MODULE);

    const types = journalOf(h.shop, summary.runId).map((e) => e.type);
    const failed = types.indexOf('validation.failed');
    assert.ok(
      failed > 0 && types.indexOf('retry') > failed && types.lastIndexOf('validation.passed') > types.indexOf('retry'),
    );
  } finally {
    await h.close();
  }
});

test('validate & retry: three failures stop the run with the seed report; later layers never start', async () => {
  const h = await harness({
    spec: specAnswer(
      'Product API',
      'product-api',
      PRODUCT_API_SPEC.replace('#### Backend', '#### Frontend\n- [ ] web/src/products.js: list\n\n#### Backend'),
    ),
    backend: ({ turn }) => (turn === 0 ? say.write({ [MODULE]: BROKEN_PRODUCT_MODULE }) : say.done()),
    frontend: () => {
      throw new Error('the frontend must not run after backend validation is exhausted');
    },
  });
  try {
    const summary = await engine.runFeature('Add a Product entity to the API', h.options());
    assert.equal(summary.status, 'stopped');
    assert.deepEqual(summary.retries, { backend: 2 });
    assert.equal(h.callsOf('backend').filter((c) => c.turn === 0).length, 3, 'first attempt and two retries');
    assert.equal(h.callsOf('frontend').length, 0);
    assert.match(
      summary.report!,
      /^## Pipeline stopped: validation failed\n### Agent: backend\n- Retries exhausted: 2\/2\n/,
    );
    assert.match(summary.report!, /- Last error:\n```\n[\s\S]*server\/entities\/product\.js:\d+: SyntaxError/);
    assert.match(summary.report!, /### Action needed\nManual intervention needed/);
    assert.match(summary.error!, /validation of backend failed after 2\/2 retries/);

    const events = journalOf(h.shop, summary.runId);
    assert.equal(events.at(-1)!.type, 'run.stopped');
    assert.equal(events.filter((e) => e.type === 'run.completed').length, 0);
    assert.match(h.shop.read(summary.specPath!), /status: stopped/);
  } finally {
    await h.close();
  }
});

test("validate: a command that does not end within the layer's timeoutSec stops the run at once, naming it and its last output; no retry", async () => {
  const hung = `node -e "console.log('tests passed, waiting on a handle'); setInterval(() => {}, 1000)"`;
  const h = await harness(
    {
      spec: specAnswer('Product API', 'product-api', PRODUCT_API_SPEC),
      backend: ({ turn }) => (turn === 0 ? say.write({ [MODULE]: PRODUCT_MODULE }) : say.done()),
    },
    {
      config: (yaml) =>
        yaml.replace(
          'validate: ["node scripts/check-server.js server"]',
          `validate:\n      - ${JSON.stringify(hung)}\n    timeoutSec: 1`,
        ),
    },
  );
  try {
    const started = Date.now();
    const summary = await engine.runFeature('Add a Product entity to the API', h.options());
    assert.ok(Date.now() - started < 30_000, 'not commandTimeoutSec (600 s)');
    assert.equal(summary.status, 'stopped');
    assert.equal(
      h.callsOf('backend').filter((c) => c.turn === 0).length,
      1,
      'no retry: the command would wait the same',
    );
    assert.match(summary.error!, /validation of backend stopped: `node -e .*` did not end within 1 s/);
    assert.match(
      summary.report!,
      /^## Pipeline stopped: a validate command did not end\n### Agent: backend\n- Command: `node -e .*` \(stopped after 1 s, its limit: `layers\.backend\.timeoutSec`/,
    );
    assert.match(summary.report!, /- Its last output:\n```\n[\s\S]*tests passed, waiting on a handle/);
    const types = journalOf(h.shop, summary.runId).map((e) => e.type);
    assert.equal(types.filter((t) => t === 'retry').length, 0);
  } finally {
    await h.close();
  }
});

/** A request's body as the prompt cache sees it: no cache_control markers. */
function unmarked(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unmarked);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== 'cache_control')
      .map(([k, v]) => [k, unmarked(v)]),
  );
}

const userBlocks = (req: RecordedRequest, index: number) =>
  req.body.messages[index]!.content as { type: string; text?: string; tool_use_id?: string; content?: unknown }[];

/** The backend reads the reference module, writes a broken Product module on the first attempt and a good one on the retry. */
const readsThenFixesTheModule: AgentScript = ({ turn, attempt }) => {
  if (turn === 0) return reply.turn([block.toolUse('read_file', { path: 'server/entities/customer.js' })]);
  if (turn === 1) return say.write({ [MODULE]: attempt === 1 ? BROKEN_PRODUCT_MODULE : PRODUCT_MODULE });
  return say.done();
};

test('validate & retry: the retry continues the conversation, so its cached prefix is the whole previous attempt', async () => {
  const h = await harness({
    spec: specAnswer('Product API', 'product-api', PRODUCT_API_SPEC),
    backend: readsThenFixesTheModule,
    review: () => say.approve(),
  });
  try {
    const summary = await engine.runFeature('Add a Product entity to the API', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.deepEqual(summary.retries, { backend: 1 });

    const calls = h.callsOf('backend');
    assert.deepEqual(
      calls.map((c) => [c.attempt, c.turn, c.continued]),
      [
        [1, 0, false],
        [1, 1, false],
        [1, 2, false],
        [2, 0, true],
        [2, 1, true],
        [2, 2, true],
      ],
    );
    const last = calls[2]!.req.body;
    const retry = calls[3]!.req.body;
    // Same tools, system prompt and context; the messages start with the previous attempt's
    // whole conversation, byte for byte, then its final answer and the retry.
    assert.deepEqual(unmarked(retry.tools), unmarked(last.tools));
    assert.deepEqual(unmarked(retry.system), unmarked(last.system));
    const previous = last.messages.length;
    assert.deepEqual(unmarked(retry.messages.slice(0, previous)), unmarked(last.messages));
    assert.equal(retry.messages.length, previous + 2);
    const submit = (retry.messages[previous]!.content as { type: string; name?: string; id?: string }[]).find(
      (b) => b.type === 'tool_use',
    )!;
    assert.equal(submit.name, 'submit_result');
    const [result, text] = userBlocks(calls[3]!.req, previous + 1);
    assert.deepEqual([result!.type, result!.tool_use_id, result!.content], ['tool_result', submit.id, 'accepted']);
    assert.equal(text!.type, 'text');
    assert.match(text!.text!, /^## RETRY MODE — FIX THE VALIDATION ERROR\nAttempt 1 of 2\./);
    assert.match(text!.text!, /server\/entities\/product\.js:\d+: SyntaxError/);
    assert.doesNotMatch(text!.text!, /## SPEC/, 'the spec is already in the cached context');

    // The prompt cache: the retry reads everything the first attempt's last request cached.
    const usage = h.host
      .ofType('llm.usage')
      .filter((e) => e.agent === 'backend')
      .map((e) => e.usage);
    assert.equal(usage.length, 6);
    if (h.provider === 'anthropic') {
      // At its breakpoint: everything request 2 read or wrote; nothing uncached but the new turn's marked block.
      assert.equal(usage[3]!.cacheRead, usage[2]!.cacheRead + usage[2]!.cacheWrite);
      assert.equal(usage[3]!.input, 0);
    } else {
      // Automatic prefix caching: all of request 2's prompt, to the cache's 128-token steps.
      const previousPrompt = usage[2]!.input + usage[2]!.cacheRead;
      assert.ok(
        usage[3]!.cacheRead > previousPrompt - 128 && usage[3]!.cacheRead <= previousPrompt,
        JSON.stringify(usage.slice(2, 4)),
      );
    }
  } finally {
    await h.close();
  }
});

test('validate & retry: maxAgentTurns bounds each attempt, not the continued conversation', async () => {
  const h = await harness(
    {
      spec: specAnswer('Product API', 'product-api', PRODUCT_API_SPEC),
      backend: readsThenFixesTheModule,
      review: () => say.approve(),
    },
    { config: withLimit('maxAgentTurns', 3) },
  );
  try {
    const summary = await engine.runFeature('Add a Product entity to the API', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.equal(h.callsOf('backend').length, 6, 'two attempts of three turns, in one conversation');
  } finally {
    await h.close();
  }
});

test('validate & retry: interrupted during a retry, the resumed retry starts afresh in RETRY MODE', async () => {
  let hold = true;
  const h = await harness({
    spec: specAnswer('Product API', 'product-api', PRODUCT_API_SPEC),
    backend: ({ turn, attempt }) => {
      if (attempt === 2 && hold) {
        hold = false;
        // Held until the client goes away: the run is cancelled during the retry.
        return reply.slow(say.done(), { beforeMs: 60_000 });
      }
      return turn === 0 ? say.write({ [MODULE]: attempt === 1 ? BROKEN_PRODUCT_MODULE : PRODUCT_MODULE }) : say.done();
    },
    review: () => say.approve(),
  });
  try {
    const controller = new AbortController();
    const running = engine.runFeature('Add a Product entity to the API', h.options({ signal: controller.signal }));
    for (let i = 0; i < 400 && hold; i++) await sleep(25);
    assert.equal(hold, false, 'the retry started');
    controller.abort();
    const cancelled = await running;
    assert.equal(cancelled.status, 'cancelled');

    const resumed = await engine.resumeRun(cancelled.runId, h.options());
    assert.equal(resumed.status, 'completed', resumed.error);
    const fresh = h
      .callsOf('backend')
      .filter((c) => c.turn === 0)
      .at(-1)!;
    assert.equal(fresh.continued, false);
    assert.equal(fresh.req.body.messages.length, 1, 'a new conversation');
    assert.match(fresh.task, /^## RETRY MODE — FIX THE VALIDATION ERROR\nAttempt 1 of 2\./);
    assert.match(fresh.task, /server\/entities\/product\.js:\d+: SyntaxError/);
    assert.match(fresh.task, /## RESUMED/);
    assert.match(fresh.task, /## TASK\nImplement the backend part/);
    const system = (fresh.req.body.system as { text: string }[]).map((b) => b.text).join('\n');
    assert.match(system, /## SPEC \(approved\)\n## Spec: Product API/);
    assert.equal(h.shop.read(MODULE), PRODUCT_MODULE);
  } finally {
    await h.close();
  }
});
