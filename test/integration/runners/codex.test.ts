// The codex runner end to end: the real Codex CLI (from npm) does layers' and a review's work
// against the Responses API test server, while our own agents talk to the Messages API server,
// under our gates: its own worktree without secrets, Codex's permission profile and our owns
// gate with a resumed session, validation retries in the same session, the budget cap ending it
// mid-turn, kill -9 then resume, a malformed review answer sent back once then stopping the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runFeature } from '../../../src/core/engine';
import { reply } from '../../support/messagesApiServer';
import { codexSays, lastPrompt, toolOutputs } from '../../support/codexCalls';
import { say, specAnswer, writesThenDone, type AgentCall } from '../../support/engine/agentScript';
import { BROKEN_MIGRATION, PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { harness, journalOf, type Harness } from '../../support/engine/harness';
import { withLimit } from '../../support/engine/shopWorkspace';
import { codexEnvironment, codexServer, onCodex, type CodexServer } from '../../support/runners/codex';
import { leftoverHelpers } from '../../../src/core/runners/codex/leftovers';
import { killNineThenResume, MIGRATION, MODULE, REQUEST, type KillResumeParts } from '../../support/runners/scenarios';
import { sandboxAttacks } from '../../support/runners/attacks';

const TIMEOUT = { timeout: 300_000 };

/** A Codex layer: patch its files, then answer done. */
const codexWrites = (files: Record<string, string>) => (call: AgentCall) => (call.turn === 0 ? codexSays.patch(files) : codexSays.done());

/** The usual world: our agents on the harness's server, Codex's on its own. */
async function world(ours: Parameters<typeof harness>[0], codex: Parameters<typeof codexServer>[0], config: (yaml: string) => string, files?: Record<string, string>): Promise<{ h: Harness; cx: CodexServer; done(): Promise<void> }> {
  const cx = await codexServer(codex);
  const h = await harness(ours, { config, ...(files ? { files } : {}) });
  const env = codexEnvironment(cx.api.url);
  return {
    h,
    cx,
    async done() {
      env.restore();
      await cx.api.close();
      await h.close();
    },
  };
}

const started = (events: ReturnType<typeof journalOf>, agent: string) => events.find((e) => e.type === 'agent.started' && e.agent === agent);

/** No Codex process (its patch helper included) outlives the run in any agent's worktree. */
function assertNothingLeftRunning(events: ReturnType<typeof journalOf>): void {
  for (const worktree of new Set(events.filter((e) => e.type === 'agent.session').map((e) => String(e.worktree)))) {
    assert.deepEqual(leftoverHelpers(worktree), [], `nothing of Codex left running in ${worktree}`);
  }
}

test('database and backend run on Codex in parallel, frontend on our own agent: the files come back, the journal says who did what', TIMEOUT, async () => {
  const w = await world(
    { spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC), frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }), review: () => say.approve() },
    { database: codexWrites({ [MIGRATION]: PRODUCT_MIGRATION }), backend: codexWrites({ [MODULE]: PRODUCT_MODULE }) },
    onCodex(['database', 'backend']),
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    assert.equal(w.h.shop.read(MIGRATION), PRODUCT_MIGRATION);
    assert.equal(w.h.shop.read(MODULE), PRODUCT_MODULE);
    assert.equal(w.h.shop.read('web/src/products.js'), PRODUCT_SCREEN);
    const events = journalOf(w.h.shop, summary.runId);
    assert.equal(started(events, 'database')?.runner, 'codex');
    assert.equal(started(events, 'backend')?.runner, 'codex');
    assert.equal(started(events, 'frontend')?.runner, 'agent');
    const wave = events.find((e) => e.type === 'wave.started' && (e.layers as string[]).includes('database'));
    assert.deepEqual([...(wave?.layers as string[])].sort(), ['backend', 'database'], 'one wave');
    for (const layer of ['database', 'backend']) {
      const session = events.find((e) => e.type === 'agent.session' && e.agent === layer);
      assert.match(String(session?.session), /^[0-9a-f-]{36}$/, `${layer}'s Codex thread is journaled`);
      const done = events.find((e) => e.type === 'agent.completed' && e.agent === layer);
      assert.equal(done?.outcome, 'submitted');
      assert.equal(done?.turns, 2);
      assert.ok(Number(done?.costUsd) > 0, 'its tokens are priced from pricing:');
      assert.ok(events.some((e) => e.type === 'tool.called' && e.agent === layer && e.tool === 'apply_patch'), 'its patch is journaled');
      assert.ok(events.some((e) => e.type === 'file.written' && e.agent === layer));
    }
    // Codex worked in its own worktree, outside the checkout, on the model the config gave it.
    const first = w.cx.callsOf('database')[0]!.req;
    assert.equal(first.wire.model, 'gpt-5.5');
    assert.doesNotMatch(JSON.stringify(first.body.messages[0]), new RegExp(w.h.shop.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.deepEqual(w.cx.api.strays, []);
    assertNothingLeftRunning(events);
  } finally {
    await w.done();
  }
});

test('an agent that writes outside its owns: Codex refuses what its profile forbids, we revert the rest and resume the same thread with the list', TIMEOUT, async () => {
  const w = await world(
    { spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC), database: writesThenDone({ [MIGRATION]: PRODUCT_MIGRATION }), frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }), review: () => say.approve() },
    {
      backend: (call) => {
        if (call.turn === 0 && call.attempt === 1) return codexSays.patch({ 'web/src/hack.js': 'export const hack = 1;\n' });
        // server/.gitignore is inside the folder Codex may write, but a protected path for us.
        if (call.turn === 1 && call.attempt === 1) return codexSays.patch({ [MODULE]: PRODUCT_MODULE, 'server/.gitignore': '*.js\n' });
        return codexSays.done();
      },
    },
    onCodex(['backend']),
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    assert.equal(w.h.shop.read(MODULE), PRODUCT_MODULE);
    assert.ok(!existsSync(join(w.h.shop.dir, 'web/src/hack.js')));
    assert.ok(!existsSync(join(w.h.shop.dir, 'server/.gitignore')));
    const calls = w.cx.callsOf('backend');
    // Codex's own sandbox refused the patch into web/.
    assert.match(toolOutputs(calls[1]!.req).join('\n'), /patch rejected: writing outside of the project/);
    // Ours refused server/.gitignore and resumed the same thread with it.
    const resumed = calls.find((c) => /CHANGES REFUSED/.test(lastPrompt(c.req)));
    assert.ok(resumed, 'the refusal came back to Codex');
    assert.match(lastPrompt(resumed.req), /server\/\.gitignore/);
    assert.ok(JSON.stringify(resumed.req.body.messages).includes('## TASK'), 'in the same conversation');
    const events = journalOf(w.h.shop, summary.runId);
    const sessions = new Set(events.filter((e) => e.type === 'agent.session' && e.agent === 'backend').map((e) => e.session));
    assert.equal(sessions.size, 1, 'one thread');
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
        if (call.turn === 0) return codexSays.shell('cat .env; ls -a');
        if (call.turn === 1) return codexSays.patch({ [MIGRATION]: PRODUCT_MIGRATION });
        return codexSays.done();
      },
    },
    onCodex(['database']),
    { '.env': 'DATABASE_PASSWORD=s3cr3t-do-not-leak\n' },
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    const shell = toolOutputs(w.cx.callsOf('database')[1]!.req).join('\n');
    assert.match(shell, /\.env: No such file or directory/);
    assert.doesNotMatch(JSON.stringify(w.cx.api.requests.map((r) => r.wire)), /s3cr3t-do-not-leak/);
    assert.equal(w.h.shop.read('.env'), 'DATABASE_PASSWORD=s3cr3t-do-not-leak\n', 'the checkout keeps it');
  } finally {
    await w.done();
  }
});

test('a failing validate command resumes the same Codex thread with the error, and the retry passes', TIMEOUT, async () => {
  const w = await world(
    { spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC), backend: writesThenDone({ [MODULE]: PRODUCT_MODULE }), frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }), review: () => say.approve() },
    {
      database: (call) => {
        if (call.attempt === 1) return call.turn === 0 ? codexSays.patch({ [MIGRATION]: BROKEN_MIGRATION }) : codexSays.done();
        return call.turn === 0 ? codexSays.patch({ [MIGRATION]: PRODUCT_MIGRATION }) : codexSays.done('Fixed the migration.');
      },
    },
    onCodex(['database']),
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    assert.equal(summary.retries.database, 1);
    assert.equal(w.h.shop.read(MIGRATION), PRODUCT_MIGRATION);
    const retry = w.cx.callsOf('database').find((c) => c.attempt === 2)!;
    assert.match(lastPrompt(retry.req), /003_create_product\.sql/, 'the validation error is the next message');
    assert.ok(JSON.stringify(retry.req.body.messages).includes(BROKEN_MIGRATION.split('\n')[0]!), 'the thread kept its history');
    const events = journalOf(w.h.shop, summary.runId);
    const sessions = new Set(events.filter((e) => e.type === 'agent.session' && e.agent === 'database').map((e) => e.session));
    assert.equal(sessions.size, 1, 'the retry resumed the same thread');
  } finally {
    await w.done();
  }
});

test('the budget cap ends a Codex agent mid-turn: no further request, no new agent, the run stops on the budget', TIMEOUT, async () => {
  // Each Codex response costs about 1 USD at the test price (200k input tokens at 5 USD/M).
  const expensive = { usage: { input_tokens: 200_000, output_tokens: 50 } };
  const w = await world(
    { spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC), backend: writesThenDone({ [MODULE]: PRODUCT_MODULE }), frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }), review: () => say.approve() },
    { database: () => ({ ...codexSays.shell('sleep 1; ls db'), ...expensive }) },
    (yaml) => withLimit('maxBudgetUsd', 2.5)(onCodex(['database'])(yaml)),
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'stopped', summary.report);
    assert.match(summary.error ?? summary.report ?? '', /budget/i);
    const requests = w.cx.callsOf('database').length;
    assert.ok(requests >= 2 && requests <= 4, `Codex stopped soon after the cap (${requests} requests)`);
    await sleep(2500);
    assert.equal(w.cx.callsOf('database').length, requests, 'nothing was sent after it was ended');
    const events = journalOf(w.h.shop, summary.runId);
    assert.ok(events.some((e) => e.type === 'budget.exceeded'));
    assert.ok(!started(events, 'frontend'), 'no new agent started');
    assertNothingLeftRunning(events);
  } finally {
    await w.done();
  }
});

/** kill -9 while Codex's database agent waits on its second request, then resume. */
const KILL_THEN_RESUME: KillResumeParts = {
  label: 'Codex',
  shell: (command) => codexSays.shell(command),
  write: (_call, path, content) => codexSays.patch({ [path]: content }),
  done: () => codexSays.done(),
  world: async (ours, database) => {
    const w = await world(ours, { database }, onCodex(['database']));
    return { ...w, callsOf: (agent) => w.cx.callsOf(agent) };
  },
  session: /^[0-9a-f-]{36}$/,
  continued: 'thread',
  step: 'turn',
  after: assertNothingLeftRunning,
};

test('kill -9 mid-agent, then resume: the Codex thread journaled before the crash continues with its history', TIMEOUT, () => killNineThenResume(KILL_THEN_RESUME));

test('kill -9 mid-agent, then resume on another machine (the thread is not there): the layer starts a new Codex thread instead of asking for it', TIMEOUT, () =>
  killNineThenResume({ ...KILL_THEN_RESUME, elsewhere: true }));

test('review on Codex, read-only: a malformed answer is sent back once, a second one stops the run with the agent\'s text', TIMEOUT, async () => {
  const w = await world(
    {
      spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
      database: writesThenDone({ [MIGRATION]: PRODUCT_MIGRATION }),
      backend: writesThenDone({ [MODULE]: PRODUCT_MODULE }),
      frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
    },
    { review: (call) => (call.turn === 0 ? codexSays.shell('git status --short; echo x > web/x.js') : reply.text(call.attempt === 1 && call.turn === 1 ? 'Looks good to me!' : '{"verdict":"maybe"}')) },
    onCodex([], { roles: ['review'] }),
  );
  try {
    const summary = await runFeature(REQUEST, w.h.options());
    assert.equal(summary.status, 'stopped', summary.report);
    assert.match(summary.error ?? summary.report ?? '', /review/);
    assert.match(summary.error ?? summary.report ?? '', /verdict/);
    const calls = w.cx.callsOf('review');
    assert.ok(calls.some((c) => /ANSWER REFUSED/.test(lastPrompt(c.req))), 'the malformed answer was sent back once');
    assert.match(toolOutputs(calls[1]!.req).join('\n'), /Read-only file system/, 'the reviewer cannot write');
    assert.ok(!existsSync(join(w.h.shop.dir, 'web/x.js')));
    const format = calls[0]!.req.wire.text?.format as { schema: { required: string[] } };
    assert.deepEqual([...format.schema.required].sort(), ['criteria', 'issues', 'verdict']);
  } finally {
    await w.done();
  }
});

test('issue 36\'s attacks through Codex\'s own shell, in the sandbox: the checkout, the user\'s home, the orchestrator\'s environment, git, loopback and a setsid process are all out of reach', TIMEOUT, () =>
  sandboxAttacks({
    label: 'Codex',
    shell: (command) => codexSays.shell(command),
    write: (_call, path, content) => codexSays.patch({ [path]: content }),
    done: () => codexSays.done(),
    world: async (ours, database) => {
      const w = await world(ours, { database }, onCodex(['database']));
      return { ...w, callsOf: (agent) => w.cx.callsOf(agent) };
    },
  }),
);
