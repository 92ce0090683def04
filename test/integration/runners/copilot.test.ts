// The copilot runner end to end: the real Copilot CLI (from npm, driven by its SDK) does layers'
// and a review's work against the Messages API test server as a provider of the user's own, while
// our own agents talk to the harness's server, under our gates: its own worktree without secrets,
// Copilot's permission callback and our owns gate with a resumed session, validation retries in
// the same session, the budget cap (and, not metered, the turn cap) ending it mid-turn, kill -9
// then resume, a malformed review answer sent back once then stopping the run, and issue 36's
// attacks through its own shell and view tool, inside the sandbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runFeature } from '../../../src/core/engine';
import { reply } from '../../support/messagesApiServer';
import { say, specAnswer, writesThenDone, type AgentCall } from '../../support/engine/agentScript';
import { BROKEN_MIGRATION, PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { harness, journalOf, type Harness } from '../../support/engine/harness';
import { withLimit } from '../../support/engine/shopWorkspace';
import { processesIn } from '../../support/runners/claudeCode';
import { copilotEnvironment, copilotServer, copilotSays, lastPrompt, onCopilot, toolNames, toolResults, type CopilotServer } from '../../support/runners/copilot';
import { REFUSED_HOST, sandboxAttacks } from '../../support/runners/attacks';
import { killNineThenResume, MIGRATION, MODULE, REQUEST, type KillResumeParts } from '../../support/runners/scenarios';

const TIMEOUT = { timeout: 300_000 };

/** A Copilot layer: create its files, then answer done. */
const copilotWrites = (files: Record<string, string>) => (call: AgentCall) => (call.turn === 0 ? copilotSays.create(call.req, files) : copilotSays.done());

/** The usual world: our agents on the harness's server, Copilot's on its own. */
async function world(ours: Parameters<typeof harness>[0], copilot: Parameters<typeof copilotServer>[0], config: (yaml: string) => string, files?: Record<string, string>): Promise<{ h: Harness; cp: CopilotServer; done(): Promise<void> }> {
  const cp = await copilotServer(copilot);
  const h = await harness(ours, { config, ...(files ? { files } : {}) });
  const env = copilotEnvironment(cp.api.url);
  return {
    h,
    cp,
    async done() {
      env.restore();
      await cp.api.close();
      await h.close();
    },
  };
}

type Journal = ReturnType<typeof journalOf>;
const started = (events: Journal, agent: string) => events.find((e) => e.type === 'agent.started' && e.agent === agent);
const sessionsOf = (events: Journal, agent: string) => new Set(events.filter((e) => e.type === 'agent.session' && e.agent === agent).map((e) => e.session));

/** No Copilot process (nor a command it started) outlives the run in any agent's worktree. */
function assertNothingLeftRunning(events: Journal): void {
  for (const worktree of new Set(events.filter((e) => e.type === 'agent.session').map((e) => String(e.worktree)))) {
    assert.deepEqual(processesIn(worktree), [], `nothing left running in ${worktree}`);
  }
}

test('database and backend run on Copilot in parallel, frontend on our own agent: the files come back, the journal says who did what', TIMEOUT, async () => {
  const w = await world(
    { spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC), frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }), review: () => say.approve() },
    { database: copilotWrites({ [MIGRATION]: PRODUCT_MIGRATION }), backend: copilotWrites({ [MODULE]: PRODUCT_MODULE }) },
    onCopilot(['database', 'backend']),
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    assert.equal(w.h.shop.read(MIGRATION), PRODUCT_MIGRATION);
    assert.equal(w.h.shop.read(MODULE), PRODUCT_MODULE);
    assert.equal(w.h.shop.read('web/src/products.js'), PRODUCT_SCREEN);
    const events = journalOf(w.h.shop, summary.runId);
    assert.equal(started(events, 'database')?.runner, 'copilot');
    assert.equal(started(events, 'backend')?.runner, 'copilot');
    assert.equal(started(events, 'frontend')?.runner, 'agent');
    const wave = events.find((e) => e.type === 'wave.started' && (e.layers as string[]).includes('database'));
    assert.deepEqual([...(wave?.layers as string[])].sort(), ['backend', 'database'], 'one wave');
    for (const layer of ['database', 'backend']) {
      const session = events.find((e) => e.type === 'agent.session' && e.agent === layer);
      assert.match(String(session?.session), /^[0-9a-f-]{36}$/, `${layer}'s Copilot session is journaled`);
      assert.ok(!String(session?.worktree).startsWith(w.h.shop.dir), 'its worktree is outside the checkout');
      const done = events.find((e) => e.type === 'agent.completed' && e.agent === layer);
      assert.equal(done?.outcome, 'submitted');
      assert.equal(done?.turns, 2);
      assert.ok(Number(done?.costUsd) > 0, 'its tokens are priced from pricing: (a provider of the user\'s own is metered)');
      assert.ok(events.some((e) => e.type === 'tool.called' && e.agent === layer && e.tool === 'create' && e.isError === false), 'its tool calls are journaled');
      assert.ok(events.some((e) => e.type === 'file.written' && e.agent === layer));
      assert.ok(events.some((e) => e.type === 'llm.usage' && e.agent === layer && e.provider === 'copilot'));
    }
    // Copilot worked in its own worktree, on the model the config gave it.
    const first = w.cp.callsOf('database')[0]!.req;
    assert.equal(first.body.model, 'claude-sonnet-4.5');
    assert.doesNotMatch(JSON.stringify(first.body), new RegExp(w.h.shop.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assertNothingLeftRunning(events);
  } finally {
    await w.done();
  }
});

test('an agent that writes outside its owns: Copilot\'s permission callback refuses its create, our gate reverts what a command wrote and resumes the same session with the list', TIMEOUT, async () => {
  const w = await world(
    { spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC), database: writesThenDone({ [MIGRATION]: PRODUCT_MIGRATION }), frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }), review: () => say.approve() },
    {
      backend: (call) => {
        if (JSON.stringify(call.req.body.messages).includes('CHANGES REFUSED')) return copilotSays.done('Kept to server/.');
        if (call.turn === 0) return copilotSays.create(call.req, { [MODULE]: PRODUCT_MODULE, 'web/src/hack.js': 'export const hack = 1;\n' });
        if (call.turn === 1) return copilotSays.bash('mkdir -p web/src && echo "export const sneaky = 1;" > web/src/sneaky.js');
        return copilotSays.done();
      },
    },
    onCopilot(['backend']),
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    assert.equal(w.h.shop.read(MODULE), PRODUCT_MODULE);
    assert.ok(!existsSync(join(w.h.shop.dir, 'web/src/hack.js')));
    assert.ok(!existsSync(join(w.h.shop.dir, 'web/src/sneaky.js')));
    const calls = w.cp.callsOf('backend');
    // Copilot's permission callback refused the create into web/ before it happened.
    assert.match(toolResults(calls[1]!.req), /refused by the orchestrator: web\/src\/hack\.js is outside your layer's files/);
    // Ours reverted what the command wrote and resumed the same session with it.
    const resumed = calls.find((c) => /CHANGES REFUSED/.test(lastPrompt(c.req)));
    assert.ok(resumed, 'the refusal came back to Copilot');
    assert.match(lastPrompt(resumed.req), /web\/src\/sneaky\.js/);
    assert.ok(JSON.stringify(resumed.req.body.messages).includes('## TASK'), 'in the same conversation');
    const events = journalOf(w.h.shop, summary.runId);
    assert.equal(sessionsOf(events, 'backend').size, 1, 'one session');
    assertNothingLeftRunning(events);
  } finally {
    await w.done();
  }
});

test('an agent that tries to read .env finds nothing: the file is not in its worktree, and the secret never reaches the model', TIMEOUT, async () => {
  const w = await world(
    { spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC), backend: writesThenDone({ [MODULE]: PRODUCT_MODULE }), frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }), review: () => say.approve() },
    {
      database: (call) => {
        if (call.turn === 0) return copilotSays.bash('ls -a');
        if (call.turn === 1) return copilotSays.view(call.req, '.env');
        if (call.turn === 2) return copilotSays.create(call.req, { [MIGRATION]: PRODUCT_MIGRATION });
        return copilotSays.done();
      },
    },
    onCopilot(['database']),
    { '.env': 'DATABASE_PASSWORD=s3cr3t-do-not-leak\n' },
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    const calls = w.cp.callsOf('database');
    const listing = toolResults(calls[1]!.req);
    assert.match(listing, /\bdb\b/);
    assert.doesNotMatch(listing, /\.env\b/);
    assert.match(toolResults(calls[2]!.req), /does not exist|no such file|not found|holds secrets/i);
    assert.doesNotMatch(JSON.stringify(w.cp.api.requests.map((r) => r.body)), /s3cr3t-do-not-leak/);
    assert.equal(w.h.shop.read('.env'), 'DATABASE_PASSWORD=s3cr3t-do-not-leak\n', 'the checkout keeps it');
  } finally {
    await w.done();
  }
});

test('a failing validate command resumes the same Copilot session with the error, and the retry passes', TIMEOUT, async () => {
  const w = await world(
    { spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC), backend: writesThenDone({ [MODULE]: PRODUCT_MODULE }), frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }), review: () => say.approve() },
    {
      database: (call) => {
        if (call.attempt === 1) return call.turn === 0 ? copilotSays.create(call.req, { [MIGRATION]: BROKEN_MIGRATION }) : copilotSays.done();
        return call.turn === 0 ? copilotSays.edit(call.req, MIGRATION, BROKEN_MIGRATION, PRODUCT_MIGRATION) : copilotSays.done('Fixed the migration.');
      },
    },
    onCopilot(['database']),
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    assert.equal(summary.retries.database, 1);
    assert.equal(w.h.shop.read(MIGRATION), PRODUCT_MIGRATION);
    const retry = w.cp.callsOf('database').find((c) => c.attempt === 2)!;
    assert.match(lastPrompt(retry.req), /003_create_product\.sql/, 'the validation error is the next message');
    assert.ok(JSON.stringify(retry.req.body.messages).includes(BROKEN_MIGRATION.split('\n')[0]!), 'the session kept its history');
    assert.equal(sessionsOf(journalOf(w.h.shop, summary.runId), 'database').size, 1, 'the retry resumed the same session');
  } finally {
    await w.done();
  }
});

test('the budget cap ends a Copilot agent mid-turn: no further request, no new agent, the run stops on the budget', TIMEOUT, async () => {
  // Each model call costs about 1 USD at this test's price (20k input tokens at 50 USD/M): small
  // enough for Copilot's context window (a prompt near it starts Copilot's own compaction calls).
  const expensive = { usage: { input_tokens: 20_000, output_tokens: 50 } };
  const w = await world(
    { spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC), backend: writesThenDone({ [MODULE]: PRODUCT_MODULE }), frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }), review: () => say.approve() },
    { database: () => ({ ...copilotSays.bash('sleep 1; ls db'), ...expensive }) },
    (yaml) => withLimit('maxBudgetUsd', 2.5)(onCopilot(['database'], { inputPrice: 50 })(yaml)),
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'stopped', summary.report);
    assert.match(summary.error ?? summary.report ?? '', /budget/i);
    const requests = w.cp.callsOf('database').length;
    assert.ok(requests >= 2 && requests <= 4, `Copilot stopped soon after the cap (${requests} requests)`);
    await sleep(2500);
    assert.equal(w.cp.callsOf('database').length, requests, 'nothing was sent after it was ended');
    const events = journalOf(w.h.shop, summary.runId);
    assert.ok(events.some((e) => e.type === 'budget.exceeded'));
    assert.ok(!started(events, 'frontend'), 'no new agent started');
    assertNothingLeftRunning(events);
  } finally {
    await w.done();
  }
});

test('not metered (a model the pricing table does not know): the turn cap ends the agent with one line, and the journal says "metered": false', TIMEOUT, async () => {
  const w = await world(
    { spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC), backend: writesThenDone({ [MODULE]: PRODUCT_MODULE }), frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }), review: () => say.approve() },
    { database: () => copilotSays.bash('ls db') },
    onCopilot(['database'], { model: 'local-coder-1', agentCli: 'maxTurns: 3' }),
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.notEqual(summary.status, 'completed');
    assert.match(summary.error ?? summary.report ?? '', /copilot: .*maxTurns/);
    assert.equal(w.cp.callsOf('database').length, 3, 'three model calls, no fourth');
    const events = journalOf(w.h.shop, summary.runId);
    const done = events.find((e) => e.type === 'agent.completed' && e.agent === 'database');
    assert.equal(done?.metered, false);
    assert.equal(done?.costUsd, 0);
  } finally {
    await w.done();
  }
});

/** kill -9 while Copilot's database agent waits on its second request, then resume. */
const KILL_THEN_RESUME: KillResumeParts = {
  label: 'Copilot',
  shell: (command) => copilotSays.bash(command),
  write: (call, path, content) => copilotSays.create(call.req, { [path]: content }),
  done: () => copilotSays.done(),
  world: async (ours, database) => {
    const w = await world(ours, { database }, onCopilot(['database']));
    return { ...w, callsOf: (agent) => w.cp.callsOf(agent) };
  },
  session: /^[0-9a-f-]{36}$/,
  continued: 'session',
  step: 'turn',
  after: assertNothingLeftRunning,
};

test('kill -9 mid-agent, then resume: the Copilot session journaled before the crash continues with its history', TIMEOUT, () => killNineThenResume(KILL_THEN_RESUME));

test('kill -9 mid-agent, then resume on another machine (the session is not there): the layer starts a new Copilot session instead of asking for it', TIMEOUT, () =>
  killNineThenResume({ ...KILL_THEN_RESUME, elsewhere: true }));

test('review on Copilot, read-only: no editing tools, a malformed answer is sent back once, a second one stops the run with the agent\'s text', TIMEOUT, async () => {
  const w = await world(
    {
      spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
      database: writesThenDone({ [MIGRATION]: PRODUCT_MIGRATION }),
      backend: writesThenDone({ [MODULE]: PRODUCT_MODULE }),
      frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
    },
    { review: (call) => (call.turn === 0 ? copilotSays.bash('git status --short; echo x > web/x.js') : reply.text(call.attempt === 1 && call.turn === 1 ? 'Looks good to me!' : '{"verdict":"maybe"}')) },
    onCopilot([], { roles: ['review'] }),
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'stopped', summary.report);
    assert.match(summary.error ?? summary.report ?? '', /review/);
    assert.match(summary.error ?? summary.report ?? '', /verdict/);
    const calls = w.cp.callsOf('review');
    assert.ok(calls.some((c) => /ANSWER REFUSED/.test(lastPrompt(c.req))), 'the malformed answer was sent back once');
    assert.ok(!toolNames(calls[0]!.req).some((name) => name === 'create' || name === 'edit'), 'the reviewer has no editing tools');
    assert.ok(!existsSync(join(w.h.shop.dir, 'web/x.js')), 'what its command wrote was reverted');
  } finally {
    await w.done();
  }
});

test('issue 36\'s attacks through Copilot\'s own bash and view, in the sandbox: the checkout, the user\'s home, the orchestrator\'s environment, git, loopback and a setsid process are all out of reach', TIMEOUT, () =>
  sandboxAttacks({
    label: 'Copilot',
    shell: (command) => copilotSays.bash(command),
    write: (call, path, content) => copilotSays.create(call.req, { [path]: content }),
    read: (_call, path) => reply.toolUse('view', { path }),
    done: () => copilotSays.done(),
    world: async (ours, database) => {
      const w = await world(ours, { database }, onCopilot(['database']));
      return { ...w, callsOf: (agent) => w.cp.callsOf(agent) };
    },
    // Its view of the checkout's .git/config (no secret to our permission callback, which refuses the .env and the key first) met the sandbox, journaled.
    denied: (events) => {
      assert.ok(events.some((e) => e.kind === 'read' && String(e.target).endsWith('/shop/.git/config')), JSON.stringify(events));
      assert.ok(events.some((e) => e.kind === 'net' && e.target === REFUSED_HOST), `the refused host is journaled: ${JSON.stringify(events)}`);
    },
  }),
);
