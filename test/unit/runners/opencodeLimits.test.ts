// The opencode runner at its limits, with the real opencode CLI against the Chat Completions test
// server: the budget cap ending it mid-run, kill -9 of the orchestrator then resume continuing
// opencode's own session, and a read-only review whose malformed answer is sent back once, then
// stops the run with the agent's text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { resumeRun, runFeature } from '../../../src/core/engine';
import { reply } from '../../support/messagesApiServer';
import { say, specAnswer, writesThenDone } from '../pipeline/support/agentScript';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../pipeline/support/fixtures';
import { journalOf } from '../pipeline/support/harness';
import { withLimit } from '../pipeline/support/shopWorkspace';
import { buildCli, CLI } from '../cli/cliKit';
import { lastPrompt, onOpencode, opencodeSays, opencodeWorld as world, toolOutputs } from './support/opencode';

const REQUEST = 'Add a Product entity with name and price';
const TIMEOUT = { timeout: 400_000 };
const MIGRATION = 'db/migrations/003_create_product.sql';
const MODULE = 'server/entities/product.js';

const started = (events: ReturnType<typeof journalOf>, agent: string) => events.find((e) => e.type === 'agent.started' && e.agent === agent);

test('the budget cap ends an opencode agent mid-run: no further request, no new agent, the run stops on the budget', TIMEOUT, async () => {
  // Each reply costs about 1 USD at the test price (200k input tokens at 5 USD/M).
  const expensive = { usage: { input_tokens: 200_000, output_tokens: 50 } };
  const w = await world(
    { spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC), backend: writesThenDone({ [MODULE]: PRODUCT_MODULE }), frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }), review: () => say.approve() },
    { database: () => ({ ...opencodeSays.shell('sleep 1; ls db'), ...expensive }) },
    (yaml) => withLimit('maxBudgetUsd', 2.5)(onOpencode(['database'])(yaml)),
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'stopped', summary.report);
    assert.match(summary.error ?? summary.report ?? '', /budget/i);
    const requests = w.oc.callsOf('database').length;
    assert.ok(requests >= 2 && requests <= 4, `opencode stopped soon after the cap (${requests} requests)`);
    await sleep(2500);
    assert.equal(w.oc.callsOf('database').length, requests, 'nothing was sent after it was ended');
    const events = journalOf(w.h.shop, summary.runId);
    assert.ok(events.some((e) => e.type === 'budget.exceeded'));
    assert.ok(!started(events, 'frontend'), 'no new agent started');
    const usage = events.filter((e) => e.type === 'llm.usage' && e.agent === 'database');
    assert.ok(usage.length >= 2 && usage.every((e) => e.provider === 'opencode' && Number(e.costUsd) > 0.9), 'each reply is journaled and priced');
  } finally {
    await w.done();
  }
});

test('kill -9 mid-agent, then resume: the opencode session journaled before the crash continues with its history', TIMEOUT, async () => {
  buildCli();
  let held = false;
  const w = await world(
    { spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC), backend: writesThenDone({ [MODULE]: PRODUCT_MODULE }), frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }), review: () => say.approve() },
    {
      database: (call) => {
        if (call.turn === 0) return opencodeSays.shell('ls db/migrations');
        if (call.turn === 1 && !held) {
          held = true;
          return reply.slow(opencodeSays.write({ [MIGRATION]: PRODUCT_MIGRATION }), { beforeMs: 120_000 });
        }
        if (call.turn === 1) return opencodeSays.write({ [MIGRATION]: PRODUCT_MIGRATION });
        return opencodeSays.done();
      },
    },
    onOpencode(['database']),
  );
  try {
    // The orchestrator and the opencode it started, killed together as a terminal's job would be.
    const child = spawn(process.execPath, [CLI, 'feature', REQUEST, '--approve', '--yes', '--json'], {
      cwd: w.h.shop.dir,
      env: { ...process.env, ANTHROPIC_BASE_URL: w.h.api.url, ANTHROPIC_API_KEY: 'test-key-0123456789abcdef', NO_COLOR: '1' },
      detached: true,
      stdio: 'ignore',
    });
    for (let i = 0; i < 2400 && !held; i++) await sleep(50);
    assert.ok(held, 'opencode reached its second request');
    const runsDir = join(w.h.shop.dir, '.claude', 'runs');
    const runId = readdirSync(runsDir).find((name) => !name.startsWith('.'))!;
    process.kill(-child.pid!, 'SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const before = journalOf(w.h.shop, runId);
    const session = before.find((e) => e.type === 'agent.session' && e.agent === 'database')?.session;
    assert.match(String(session), /^ses_/);

    const summary = await resumeRun(runId, w.h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    assert.equal(w.h.shop.read(MIGRATION), PRODUCT_MIGRATION);
    const after = journalOf(w.h.shop, runId);
    const sessions = new Set(after.filter((e) => e.type === 'agent.session' && e.agent === 'database').map((e) => e.session));
    assert.deepEqual([...sessions], [session], 'the resumed agent continued its own session');
    const resumedCall = w.oc.callsOf('database').at(-2)!;
    assert.ok(JSON.stringify(resumedCall.req.body.messages).includes('ls db/migrations'), 'with the step finished before the crash');
  } finally {
    await w.done();
  }
});

test('review on opencode, read-only: its commands are refused, a malformed answer is sent back once, a second one stops the run with the agent\'s text', TIMEOUT, async () => {
  const w = await world(
    {
      spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
      database: writesThenDone({ [MIGRATION]: PRODUCT_MIGRATION }),
      backend: writesThenDone({ [MODULE]: PRODUCT_MODULE }),
      frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
    },
    {
      review: (call) => {
        if (call.turn === 0 && call.attempt === 1) return opencodeSays.shell('echo x > web/x.js');
        if (call.turn === 1 && call.attempt === 1) return opencodeSays.write({ 'web/y.js': 'y' });
        return reply.text(call.attempt === 1 ? 'Looks good to me!' : '{"verdict":"maybe"}');
      },
    },
    onOpencode([], { roles: ['review'] }),
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'stopped', summary.report);
    assert.match(summary.error ?? summary.report ?? '', /review/);
    assert.match(summary.error ?? summary.report ?? '', /verdict/);
    const calls = w.oc.callsOf('review');
    assert.ok(calls.some((c) => /ANSWER REFUSED/.test(lastPrompt(c.req))), 'the malformed answer was sent back once');
    // A read-only agent is not even offered opencode's bash, write or edit tools.
    assert.deepEqual(calls[0]!.req.wire.tools?.map((t) => t.function.name).filter((name) => ['bash', 'write', 'edit', 'apply_patch', 'task', 'webfetch'].includes(name)), []);
    assert.match(toolOutputs(calls[1]!.req).join('\n'), /unavailable tool 'bash'/, 'the reviewer cannot run commands');
    assert.match(toolOutputs(calls[2]!.req).join('\n'), /unavailable tool 'write'/, 'nor write');
    assert.ok(!existsSync(join(w.h.shop.dir, 'web/x.js')));
    assert.ok(!existsSync(join(w.h.shop.dir, 'web/y.js')));
    assert.match(String(calls[0]!.req.wire.messages[0]!.content), /Your final answer[\s\S]*"required":\["verdict","issues"\]/, 'the answer\'s schema is in its instructions');
  } finally {
    await w.done();
  }
});
