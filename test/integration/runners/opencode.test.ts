// The opencode runner end to end: the real opencode CLI (from npm) does layers' work against the
// Chat Completions test server, while our own agents talk to the Messages API server, under our
// gates: its own worktree without secrets, opencode's native permission rules and our owns gate
// with a resumed session, validation retries in the same session.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runFeature } from '../../../src/core/engine';
import { spendList } from '../../../src/cli/output';
import { say, specAnswer, writesThenDone, type AgentCall } from '../../support/engine/agentScript';
import { BROKEN_MIGRATION, PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { journalOf } from '../../support/engine/harness';
import { lastPrompt, onOpencode, OPENCODE_MODEL, opencodeSays, opencodeWorld as world, toolOutputs } from '../../support/runners/opencode';
import { sandboxAttacks } from '../../support/runners/attacks';
import { reply } from '../../support/messagesApiServer';

const REQUEST = 'Add a Product entity with name and price';
const TIMEOUT = { timeout: 400_000 };
const MIGRATION = 'db/migrations/003_create_product.sql';
const MODULE = 'server/entities/product.js';

/** An opencode layer: write its files, then answer done. */
const opencodeWrites = (files: Record<string, string>) => (call: AgentCall) => (call.turn === 0 ? opencodeSays.write(files) : opencodeSays.done());

const started = (events: ReturnType<typeof journalOf>, agent: string) => events.find((e) => e.type === 'agent.started' && e.agent === agent);

test('the backend runs on opencode beside the database on our own agent, in one wave: the files come back, the journal says who did what', TIMEOUT, async () => {
  const w = await world(
    { spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC), database: writesThenDone({ [MIGRATION]: PRODUCT_MIGRATION }), frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }), review: () => say.approve() },
    { backend: opencodeWrites({ [MODULE]: PRODUCT_MODULE }) },
    onOpencode(['backend']),
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    assert.equal(w.h.shop.read(MIGRATION), PRODUCT_MIGRATION);
    assert.equal(w.h.shop.read(MODULE), PRODUCT_MODULE);
    const events = journalOf(w.h.shop, summary.runId);
    assert.equal(started(events, 'backend')?.runner, 'opencode');
    assert.equal(started(events, 'database')?.runner, 'agent');
    const wave = events.find((e) => e.type === 'wave.started' && (e.layers as string[]).includes('backend'));
    assert.deepEqual([...(wave?.layers as string[])].sort(), ['backend', 'database'], 'one wave');
    const session = events.find((e) => e.type === 'agent.session' && e.agent === 'backend');
    assert.match(String(session?.session), /^ses_[0-9A-Za-z]+$/, 'its opencode session is journaled');
    const done = events.find((e) => e.type === 'agent.completed' && e.agent === 'backend');
    assert.equal(done?.outcome, 'submitted');
    assert.equal(done?.turns, 2);
    assert.ok(Number(done?.costUsd) > 0, 'its tokens are priced from pricing:');
    assert.ok(events.some((e) => e.type === 'tool.called' && e.agent === 'backend' && e.tool === 'write' && e.runner === 'opencode'), 'its write is journaled');
    assert.ok(events.some((e) => e.type === 'file.written' && e.agent === 'backend'));
    // opencode worked in its own worktree, outside the checkout, on the model the config gave it, with our text as its system prompt.
    const first = w.oc.callsOf('backend')[0]!.req;
    assert.equal(first.wire.model, OPENCODE_MODEL);
    assert.match(JSON.stringify(first.wire.messages[0]), /You are the BACKEND SPECIALIST/);
    assert.doesNotMatch(JSON.stringify(first.wire.messages), new RegExp(w.h.shop.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    // Only the agent's own requests: no title generation, nothing else reached the server.
    assert.equal(w.oc.api.requests.length, w.oc.calls.length);
  } finally {
    await w.done();
  }
});

test('an agent that writes outside its owns: opencode refuses what its rules forbid, we revert what its shell did and resume the same session with the list', TIMEOUT, async () => {
  const w = await world(
    { spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC), database: writesThenDone({ [MIGRATION]: PRODUCT_MIGRATION }), frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }), review: () => say.approve() },
    {
      backend: (call) => {
        if (call.attempt === 1 && call.turn === 0) return opencodeSays.write({ 'web/src/hack.js': 'export const hack = 1;\n' });
        // A shell command is not bound by the edit rules: our gate reverts it.
        if (call.attempt === 1 && call.turn === 1) return opencodeSays.shell(`mkdir -p server/entities && printf '%s' '${PRODUCT_MODULE.replace(/'/g, "'\\''")}' > ${MODULE} && echo hack > web/src/viashell.js`);
        return opencodeSays.done();
      },
    },
    onOpencode(['backend']),
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    assert.equal(w.h.shop.read(MODULE), PRODUCT_MODULE);
    assert.ok(!existsSync(join(w.h.shop.dir, 'web/src/hack.js')));
    assert.ok(!existsSync(join(w.h.shop.dir, 'web/src/viashell.js')));
    const calls = w.oc.callsOf('backend');
    // opencode's own rule refused the write into web/.
    assert.match(toolOutputs(calls[1]!.req).join('\n'), /prevents you from using this specific tool call/);
    // Ours refused web/src/viashell.js and resumed the same session with it.
    const resumed = calls.find((c) => /CHANGES REFUSED/.test(lastPrompt(c.req)));
    assert.ok(resumed, 'the refusal came back to opencode');
    assert.match(lastPrompt(resumed.req), /web\/src\/viashell\.js/);
    assert.ok(JSON.stringify(resumed.req.body.messages).includes('## TASK'), 'in the same conversation');
    const events = journalOf(w.h.shop, summary.runId);
    const sessions = new Set(events.filter((e) => e.type === 'agent.session' && e.agent === 'backend').map((e) => e.session));
    assert.equal(sessions.size, 1, 'one session');
  } finally {
    await w.done();
  }
});

test('an agent that tries to read .env finds nothing, a failing validate command resumes the same session with the error, and a model nobody prices is "not metered"', TIMEOUT, async () => {
  const w = await world(
    { spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC), backend: writesThenDone({ [MODULE]: PRODUCT_MODULE }), frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }), review: () => say.approve() },
    {
      database: (call) => {
        if (call.attempt === 1 && call.turn === 0) return opencodeSays.shell('cat .env; ls -a');
        if (call.attempt === 1 && call.turn === 1) return opencodeSays.write({ [MIGRATION]: BROKEN_MIGRATION });
        if (call.attempt === 1) return opencodeSays.done();
        return call.turn === 0 ? opencodeSays.write({ [MIGRATION]: PRODUCT_MIGRATION }) : opencodeSays.done('Fixed the migration.');
      },
    },
    onOpencode(['database'], { priced: false }),
    { '.env': 'DATABASE_PASSWORD=s3cr3t-do-not-leak\n' },
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    const shell = toolOutputs(w.oc.callsOf('database')[1]!.req).join('\n');
    assert.match(shell, /\.env: No such file or directory/);
    assert.doesNotMatch(JSON.stringify(w.oc.api.requests.map((r) => r.wire)), /s3cr3t-do-not-leak/);
    assert.equal(w.h.shop.read('.env'), 'DATABASE_PASSWORD=s3cr3t-do-not-leak\n', 'the checkout keeps it');

    assert.equal(summary.retries.database, 1);
    assert.equal(w.h.shop.read(MIGRATION), PRODUCT_MIGRATION);
    const retry = w.oc.callsOf('database').find((c) => c.attempt === 2)!;
    assert.match(lastPrompt(retry.req), /003_create_product\.sql/, 'the validation error is the next message');
    assert.ok(JSON.stringify(retry.req.body.messages).includes(BROKEN_MIGRATION.split('\n')[0]!), 'the session kept its history');
    const events = journalOf(w.h.shop, summary.runId);
    const sessions = new Set(events.filter((e) => e.type === 'agent.session' && e.agent === 'database').map((e) => e.session));
    assert.equal(sessions.size, 1, 'the retry resumed the same session');
    // Neither our pricing nor opencode (no cost for a gateway model) prices it: not metered, said so.
    const completed = events.filter((e) => e.type === 'agent.completed' && e.agent === 'database');
    assert.ok(completed.length === 2 && completed.every((e) => e.metered === false && e.costUsd === 0));
    assert.ok(summary.byProvider.opencode!.unpricedRequests >= 5);
    assert.match(spendList(summary.byProvider), /opencode not metered \(\d+ replies\)/);
  } finally {
    await w.done();
  }
});

test('the spec role on opencode, read-only: its JSON answer is checked and becomes the run\'s spec; the layers go on on our own agent', TIMEOUT, async () => {
  const w = await world(
    { database: writesThenDone({ [MIGRATION]: PRODUCT_MIGRATION }), backend: writesThenDone({ [MODULE]: PRODUCT_MODULE }), frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }), review: () => say.approve() },
    { spec: (call) => (call.turn === 0 ? opencodeSays.shell('ls') : opencodeSays.answer({ title: 'Product entity', slug: 'product-entity', markdown: PRODUCT_SPEC })) },
    onOpencode([], { roles: ['spec'] }),
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    assert.match(w.h.shop.read(summary.specPath!), /Product entity/);
    const events = journalOf(w.h.shop, summary.runId);
    assert.equal(started(events, 'spec')?.runner, 'opencode');
    const calls = w.oc.callsOf('spec');
    assert.equal(calls.length, 2);
    const offered = calls[0]!.req.wire.tools?.map((t) => t.function.name) ?? [];
    assert.ok(!offered.includes('bash') && !offered.includes('write') && !offered.includes('edit'), `read-only: ${offered.join(', ')}`);
    assert.match(toolOutputs(calls[1]!.req).join('\n'), /unavailable tool 'bash'/);
  } finally {
    await w.done();
  }
});

test('issue 36\'s attacks through opencode\'s own bash and read, in the sandbox: the checkout, the user\'s home, the orchestrator\'s environment, git, loopback and a setsid process are all out of reach', TIMEOUT, () =>
  sandboxAttacks({
    label: 'opencode',
    shell: (command) => opencodeSays.shell(command),
    write: (_call, path, content) => opencodeSays.write({ [path]: content }),
    read: (_call, path) => reply.toolUse('read', { filePath: path }),
    done: () => opencodeSays.done(),
    world: async (ours, database) => {
      const w = await world(ours, { database }, onOpencode(['database']));
      return { ...w, callsOf: (agent) => w.oc.callsOf(agent) };
    },
  }),
);
