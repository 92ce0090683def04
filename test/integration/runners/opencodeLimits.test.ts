// The opencode runner at its limits, with the real opencode CLI against the Chat Completions test
// server: the budget cap ending it mid-run, kill -9 of the orchestrator then resume continuing
// opencode's own session, and a read-only review whose malformed answer is sent back once, then
// stops the run with the agent's text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runFeature } from '../../../src/core/engine';
import { reply } from '../../support/messagesApiServer';
import { say, specAnswer, writesThenDone } from '../../support/engine/agentScript';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { journalOf } from '../../support/engine/harness';
import { withLimit } from '../../support/engine/shopWorkspace';
import { lastPrompt, onOpencode, opencodeSays, opencodeWorld as world, toolOutputs } from '../../support/runners/opencode';
import { killNineThenResume, MIGRATION, MODULE, REQUEST } from '../../support/runners/scenarios';

const TIMEOUT = { timeout: 400_000 };

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

test('kill -9 mid-agent, then resume: the opencode session journaled before the crash continues with its history', TIMEOUT, () =>
  killNineThenResume({
    label: 'opencode',
    shell: (command) => opencodeSays.shell(command),
    write: (_call, path, content) => opencodeSays.write({ [path]: content }),
    done: () => opencodeSays.done(),
    world: async (ours, database) => {
      const w = await world(ours, { database }, onOpencode(['database']));
      return { ...w, callsOf: (agent) => w.oc.callsOf(agent) };
    },
    session: /^ses_/,
    continued: 'session',
    step: 'step',
    waits: 2400,
  }),
);

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
