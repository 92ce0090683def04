// The gemini runner end to end: the real Gemini CLI (from npm) does layers' and a review's work
// against the Gemini API test server, while our own agents talk to the Messages API server, under
// our gates: its own worktree without secrets, Gemini's admin policy and our owns gate with a
// resumed session, validation retries in the same session, the budget cap ending it mid-turn (and
// the turn cap when it is not metered), kill -9 then resume, a malformed review answer sent back
// once then stopping the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runFeature } from '../../../src/core/engine';
import { reply } from '../../support/messagesApiServer';
import { geminiSays, lastPrompt, toolOutputs } from '../../support/geminiCalls';
import { say, specAnswer, writesThenDone, type AgentCall } from '../../support/engine/agentScript';
import { BROKEN_MIGRATION, PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { harness, journalOf, type Harness } from '../../support/engine/harness';
import { withLimit } from '../../support/engine/shopWorkspace';
import { geminiEnvironment, geminiServer, onGemini, type GeminiServer } from '../../support/runners/gemini';
import { killNineThenResume, MIGRATION, MODULE, REQUEST, type KillResumeParts } from '../../support/runners/scenarios';
import { sandboxAttacks } from '../../support/runners/attacks';

const TIMEOUT = { timeout: 300_000 };

/** A Gemini layer: write its file, then answer done. */
const geminiWrites = (path: string, content: string) => (call: AgentCall) => (call.turn === 0 ? geminiSays.write(path, content) : geminiSays.done());

/** The usual world: our agents on the harness's server, Gemini's on its own. */
async function world(ours: Parameters<typeof harness>[0], gemini: Parameters<typeof geminiServer>[0], config: (yaml: string) => string, files?: Record<string, string>): Promise<{ h: Harness; gm: GeminiServer; done(): Promise<void> }> {
  const gm = await geminiServer(gemini);
  const h = await harness(ours, { config, ...(files ? { files } : {}) });
  const env = geminiEnvironment(gm.api.url);
  return {
    h,
    gm,
    async done() {
      env.restore();
      await gm.api.close();
      await h.close();
    },
  };
}

const started = (events: ReturnType<typeof journalOf>, agent: string) => events.find((e) => e.type === 'agent.started' && e.agent === agent);
const sessionsOf = (events: ReturnType<typeof journalOf>, agent: string) => new Set(events.filter((e) => e.type === 'agent.session' && e.agent === agent).map((e) => e.session));

test('database and backend run on Gemini in parallel, frontend on our own agent: the files come back, the journal says who did what', TIMEOUT, async () => {
  const w = await world(
    { spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC), frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }), review: () => say.approve() },
    { database: geminiWrites(MIGRATION, PRODUCT_MIGRATION), backend: geminiWrites(MODULE, PRODUCT_MODULE) },
    onGemini(['database', 'backend']),
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    assert.equal(w.h.shop.read(MIGRATION), PRODUCT_MIGRATION);
    assert.equal(w.h.shop.read(MODULE), PRODUCT_MODULE);
    assert.equal(w.h.shop.read('web/src/products.js'), PRODUCT_SCREEN);
    const events = journalOf(w.h.shop, summary.runId);
    assert.equal(started(events, 'database')?.runner, 'gemini');
    assert.equal(started(events, 'backend')?.runner, 'gemini');
    assert.equal(started(events, 'frontend')?.runner, 'agent');
    const wave = events.find((e) => e.type === 'wave.started' && (e.layers as string[]).includes('database'));
    assert.deepEqual([...(wave?.layers as string[])].sort(), ['backend', 'database'], 'one wave');
    for (const layer of ['database', 'backend']) {
      const session = events.find((e) => e.type === 'agent.session' && e.agent === layer);
      assert.match(String(session?.session), /^[0-9a-f-]{36}$/, `${layer}'s Gemini session is journaled`);
      const done = events.find((e) => e.type === 'agent.completed' && e.agent === layer);
      assert.equal(done?.outcome, 'submitted');
      assert.equal(done?.turns, 2);
      assert.ok(Number(done?.costUsd) > 0, 'its tokens are priced from pricing:');
      assert.ok(events.some((e) => e.type === 'llm.usage' && e.agent === layer && e.provider === 'gemini'));
      assert.ok(events.some((e) => e.type === 'tool.called' && e.agent === layer && e.tool === 'write_file'), 'its write is journaled');
      assert.ok(events.some((e) => e.type === 'file.written' && e.agent === layer));
    }
    // Gemini worked in its own worktree, outside the checkout, on the model the config gave it.
    const first = w.gm.callsOf('database')[0]!.req;
    assert.equal(first.model, 'gemini-2.5-pro');
    assert.doesNotMatch(JSON.stringify(first.body.messages), new RegExp(w.h.shop.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.deepEqual(w.gm.api.strays, []);
  } finally {
    await w.done();
  }
});

test('an agent that writes outside its owns: Gemini refuses what its policy forbids, we revert what a command wrote and resume the same session with the list', TIMEOUT, async () => {
  const w = await world(
    { spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC), database: writesThenDone({ [MIGRATION]: PRODUCT_MIGRATION }), frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }), review: () => say.approve() },
    {
      backend: (call) => {
        if (call.turn === 0 && call.attempt === 1) return geminiSays.write('web/src/hack.js', 'export const hack = 1;\n');
        if (call.turn === 1 && call.attempt === 1) return geminiSays.write(MODULE, PRODUCT_MODULE);
        // A command is not confined by the policy: what it writes outside owns is our gate's.
        if (call.turn === 2 && call.attempt === 1) return geminiSays.shell('mkdir -p web/src && echo "export const hack = 2;" > web/src/hack2.js');
        return geminiSays.done();
      },
    },
    onGemini(['backend']),
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    assert.equal(w.h.shop.read(MODULE), PRODUCT_MODULE);
    assert.ok(!existsSync(join(w.h.shop.dir, 'web/src/hack.js')));
    assert.ok(!existsSync(join(w.h.shop.dir, 'web/src/hack2.js')));
    const calls = w.gm.callsOf('backend');
    // Gemini's own policy refused the write into web/.
    assert.match(toolOutputs(calls[1]!.req).join('\n'), /refused by the orchestrator: outside your layer's files \(owns: server\/\*\*\)/);
    // Ours refused what the command wrote, and resumed the same session with it.
    const resumed = calls.find((c) => /CHANGES REFUSED/.test(lastPrompt(c.req)));
    assert.ok(resumed, 'the refusal came back to Gemini');
    assert.match(lastPrompt(resumed.req), /web\/src\/hack2\.js/);
    assert.ok(JSON.stringify(resumed.req.body.messages).includes('## TASK'), 'in the same conversation');
    const events = journalOf(w.h.shop, summary.runId);
    assert.equal(sessionsOf(events, 'backend').size, 1, 'one session');
  } finally {
    await w.done();
  }
});

test('an agent that tries to read .env finds nothing: the file is not in its worktree, and the secret never reaches the model', TIMEOUT, async () => {
  const w = await world(
    { spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC), backend: writesThenDone({ [MODULE]: PRODUCT_MODULE }), frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }), review: () => say.approve() },
    {
      database: (call) => {
        if (call.turn === 0) return geminiSays.shell('cat .env; ls -a');
        if (call.turn === 1) return geminiSays.read('.env');
        if (call.turn === 2) return geminiSays.write(MIGRATION, PRODUCT_MIGRATION);
        return geminiSays.done();
      },
    },
    onGemini(['database']),
    { '.env': 'DATABASE_PASSWORD=s3cr3t-do-not-leak\n' },
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    const calls = w.gm.callsOf('database');
    assert.match(toolOutputs(calls[1]!.req).join('\n'), /\.env: No such file or directory/);
    // Gemini's read_file cannot resolve a file that is not there (it says the path is outside the workspace).
    assert.match(toolOutputs(calls[2]!.req).join('\n'), /Path not in workspace|not found|does not exist|No such file/i);
    assert.doesNotMatch(JSON.stringify(w.gm.api.requests.map((r) => r.wire)), /s3cr3t-do-not-leak/);
    assert.equal(w.h.shop.read('.env'), 'DATABASE_PASSWORD=s3cr3t-do-not-leak\n', 'the checkout keeps it');
  } finally {
    await w.done();
  }
});

test('a failing validate command resumes the same Gemini session with the error, and the retry passes', TIMEOUT, async () => {
  const w = await world(
    { spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC), backend: writesThenDone({ [MODULE]: PRODUCT_MODULE }), frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }), review: () => say.approve() },
    {
      database: (call) => {
        if (call.attempt === 1) return call.turn === 0 ? geminiSays.write(MIGRATION, BROKEN_MIGRATION) : geminiSays.done();
        return call.turn === 0 ? geminiSays.write(MIGRATION, PRODUCT_MIGRATION) : geminiSays.done('Fixed the migration.');
      },
    },
    onGemini(['database']),
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    assert.equal(summary.retries.database, 1);
    assert.equal(w.h.shop.read(MIGRATION), PRODUCT_MIGRATION);
    const retry = w.gm.callsOf('database').find((c) => c.attempt === 2)!;
    assert.match(lastPrompt(retry.req), /003_create_product\.sql/, 'the validation error is the next message');
    assert.ok(JSON.stringify(retry.req.body.messages).includes(BROKEN_MIGRATION.split('\n')[0]!), 'the session kept its history');
    assert.equal(sessionsOf(journalOf(w.h.shop, summary.runId), 'database').size, 1, 'the retry resumed the same session');
  } finally {
    await w.done();
  }
});

test('the budget cap ends a Gemini agent mid-turn: no further request, no new agent, the run stops on the budget', TIMEOUT, async () => {
  // Each Gemini response costs about 1 USD at the test price (200k input tokens at 5 USD/M).
  const expensive = { usage: { input_tokens: 200_000, output_tokens: 50 } };
  const w = await world(
    { spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC), backend: writesThenDone({ [MODULE]: PRODUCT_MODULE }), frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }), review: () => say.approve() },
    { database: () => ({ ...geminiSays.shell('sleep 1; ls db'), ...expensive }) },
    (yaml) => withLimit('maxBudgetUsd', 2.5)(onGemini(['database'])(yaml)),
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'stopped', summary.report);
    assert.match(summary.error ?? summary.report ?? '', /budget/i);
    const requests = w.gm.callsOf('database').length;
    assert.ok(requests >= 2 && requests <= 4, `Gemini stopped soon after the cap (${requests} requests)`);
    await sleep(2500);
    assert.equal(w.gm.callsOf('database').length, requests, 'nothing was sent after it was ended');
    const events = journalOf(w.h.shop, summary.runId);
    assert.ok(events.some((e) => e.type === 'budget.exceeded'));
    assert.ok(!started(events, 'frontend'), 'no new agent started');
  } finally {
    await w.done();
  }
});

test('not metered (no price for its model): the turn cap ends a Gemini agent mid-turn, and the journal says "metered": false', TIMEOUT, async () => {
  const w = await world(
    { spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC), backend: writesThenDone({ [MODULE]: PRODUCT_MODULE }), frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }), review: () => say.approve() },
    { database: () => geminiSays.shell('ls db') },
    onGemini(['database'], { unpriced: true, agentCli: 'maxTurns: 3' }),
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'stopped', summary.report);
    const stopped = /gemini: stopped after (\d+) model responses — it used agentCli\.gemini\.maxTurns/.exec(summary.error ?? summary.report ?? '');
    assert.ok(stopped, summary.error ?? summary.report);
    // The runner reads the responses from Gemini's session file as soon as the stream shows a
    // response's tool calls (and every 100 ms): a quick tool call can let the next request leave
    // before the third response is read, never a second one (under load it did, before that read).
    const turns = Number(stopped[1]);
    const calls = w.gm.callsOf('database').length;
    assert.ok(turns >= 3 && turns <= calls && calls <= 4, `ended at the cap of 3, or the one request already under way (${turns} responses counted, ${calls} requests)`);
    const events = journalOf(w.h.shop, summary.runId);
    const done = events.find((e) => e.type === 'agent.completed' && e.agent === 'database');
    assert.equal(done?.metered, false);
    assert.equal(done?.turns, turns);
    assert.ok(events.some((e) => e.type === 'llm.usage' && e.agent === 'database' && e.priced === false), 'its tokens are journaled, unpriced');
  } finally {
    await w.done();
  }
});

/** kill -9 while Gemini's database agent waits on its second request, then resume. */
const KILL_THEN_RESUME: KillResumeParts = {
  label: 'Gemini',
  shell: (command) => geminiSays.shell(command),
  write: (_call, path, content) => geminiSays.write(path, content),
  done: () => geminiSays.done(),
  world: async (ours, database) => {
    const w = await world(ours, { database }, onGemini(['database']));
    return { ...w, callsOf: (agent) => w.gm.callsOf(agent) };
  },
  session: /^[0-9a-f-]{36}$/,
  continued: 'session',
  step: 'turn',
};

test('kill -9 mid-agent, then resume: the Gemini session journaled before the crash continues with its history', TIMEOUT, () => killNineThenResume(KILL_THEN_RESUME));

test('kill -9 mid-agent, then resume on another machine (the session is not there): the layer starts a new Gemini session instead of asking for it', TIMEOUT, () =>
  killNineThenResume({ ...KILL_THEN_RESUME, elsewhere: true }));

test('review on Gemini, read-only: a malformed answer is sent back once, a second one stops the run with the agent\'s text', TIMEOUT, async () => {
  const w = await world(
    {
      spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
      database: writesThenDone({ [MIGRATION]: PRODUCT_MIGRATION }),
      backend: writesThenDone({ [MODULE]: PRODUCT_MODULE }),
      frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
    },
    { review: (call) => (call.turn === 0 ? geminiSays.shell('git status --short; echo x > web/x.js') : reply.text(call.attempt === 1 && call.turn === 1 ? 'Looks good to me!' : '{"verdict":"maybe"}')) },
    onGemini([], { roles: ['review'] }),
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'stopped', summary.report);
    assert.match(summary.error ?? summary.report ?? '', /review/);
    assert.match(summary.error ?? summary.report ?? '', /verdict/);
    const calls = w.gm.callsOf('review');
    assert.ok(calls.some((c) => /ANSWER REFUSED/.test(lastPrompt(c.req))), 'the malformed answer was sent back once');
    assert.match(toolOutputs(calls[1]!.req).join('\n'), /requires user confirmation, which is not supported in non-interactive mode/, 'the reviewer cannot write');
    assert.ok(!existsSync(join(w.h.shop.dir, 'web/x.js')));
    const tools = (calls[0]!.req.wire.tools ?? []).flatMap((t) => (t.functionDeclarations ?? []).map((fn) => fn.name));
    assert.ok(!tools.includes('write_file') && !tools.includes('replace'), 'no edit tools');
  } finally {
    await w.done();
  }
});

test('issue 36\'s attacks through Gemini\'s own shell and read_file, in the sandbox: the checkout, the user\'s home, the orchestrator\'s environment, git, loopback and a setsid process are all out of reach', TIMEOUT, () =>
  sandboxAttacks({
    label: 'Gemini',
    shell: (command) => geminiSays.shell(command),
    write: (_call, path, content) => geminiSays.write(path, content),
    read: (_call, path) => geminiSays.read(path),
    done: () => geminiSays.done(),
    world: async (ours, database) => {
      const w = await world(ours, { database }, onGemini(['database']));
      return { ...w, callsOf: (agent) => w.gm.callsOf(agent) };
    },
  }),
);
