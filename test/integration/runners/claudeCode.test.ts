// The claude-code runner end to end: the real Claude Code (the Agent SDK's binary) does a
// layer's work against the Messages API test server, under our gates: its own worktree without
// secrets, the owns gate with a resumed session, validation retries in the same session, the
// budget cap ending its process group, kill -9 then resume, a review's answer checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runFeature } from '../../../src/core/engine';
import { say, specAnswer, writesThenDone, type AgentCall } from '../../support/engine/agentScript';
import { BROKEN_PRODUCT_MODULE, PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { harness, journalOf } from '../../support/engine/harness';
import { setTimeout as sleep } from 'node:timers/promises';
import { reply } from '../../support/messagesApiServer';
import { withLimit } from '../../support/engine/shopWorkspace';
import { cc, CLAUDE_BINARY, claudeEnvironment, conversationText, fromClaude, onClaudeCode, processesIn } from '../../support/runners/claudeCode';
import { sandboxAttacks } from '../../support/runners/attacks';

const REQUEST = 'Add a Product entity with name and price';
const TIMEOUT = { timeout: 300_000 };

/** A layer on Claude Code: write its files, then answer done. */
const claudeWrites = (files: Record<string, string>) => (call: AgentCall) => (call.turn === 0 ? cc.write(call, files) : cc.done());

test('database and backend run on Claude Code in parallel, frontend on our own agent: the files come back, the journal says who did what', TIMEOUT, async () => {
  const h = await harness({
    spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
    database: claudeWrites({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }),
    backend: claudeWrites({ 'server/entities/product.js': PRODUCT_MODULE }),
    frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
    review: () => say.approve(),
  }, { config: onClaudeCode(['database', 'backend']) });
  const env = claudeEnvironment(h.api.url);
  try {
    const summary = await runFeature(REQUEST, h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    assert.equal(h.shop.read('db/migrations/003_create_product.sql'), PRODUCT_MIGRATION);
    assert.equal(h.shop.read('server/entities/product.js'), PRODUCT_MODULE);
    assert.equal(h.shop.read('web/src/products.js'), PRODUCT_SCREEN);
    const events = journalOf(h.shop, summary.runId);
    const started = (agent: string) => events.find((e) => e.type === 'agent.started' && e.agent === agent);
    assert.equal(started('database')?.runner, 'claude-code');
    assert.equal(started('backend')?.runner, 'claude-code');
    assert.equal(started('frontend')?.runner, 'agent');
    assert.equal(started('spec')?.runner, 'agent');
    const wave = events.find((e) => e.type === 'wave.started' && (e.layers as string[]).includes('database'));
    assert.deepEqual([...(wave?.layers as string[])].sort(), ['backend', 'database'], 'one wave');
    for (const layer of ['database', 'backend']) {
      const session = events.find((e) => e.type === 'agent.session' && e.agent === layer);
      assert.match(String(session?.session), /^[0-9a-f-]{36}$/, `${layer}'s session is journaled`);
      assert.ok(!String(session?.worktree).startsWith(h.shop.dir), 'the agent\'s worktree is outside the checkout');
      assert.ok(!existsSync(String(session?.worktree)), 'and gone once the run completed');
      const done = events.find((e) => e.type === 'agent.completed' && e.agent === layer);
      assert.equal(done?.outcome, 'submitted');
      assert.equal(done?.session, session?.session);
      assert.ok(Number(done?.turns) >= 2, 'its turns are counted');
      assert.ok(Number(done?.costUsd) > 0, 'its tokens are priced');
      assert.ok(events.some((e) => e.type === 'tool.called' && e.agent === layer && e.tool === 'Write' && e.isError === false), 'its tool calls are journaled');
      assert.ok(events.some((e) => e.type === 'file.written' && e.agent === layer), 'its files are journaled as written');
      assert.ok(events.some((e) => e.type === 'llm.usage' && e.agent === layer && e.provider === 'claude-code'));
    }
    assert.ok(summary.costByAgent.database! > 0 && summary.costByAgent.backend! > 0, 'their cost is in the run\'s');
  } finally {
    env.restore();
    await h.close();
  }
});

const SPEC_AGENTS = {
  spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
  database: writesThenDone({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }),
  frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
  review: () => say.approve(),
};

test('a write outside owns is refused at once by the hook; one made through a command is reverted and the same session is resumed with the list', TIMEOUT, async () => {
  const h = await harness({
    ...SPEC_AGENTS,
    backend: (call) => {
      if (conversationText(call.req).includes('CHANGES REFUSED')) return cc.done('Kept to server/.');
      if (call.turn === 0) return cc.write(call, { 'server/entities/product.js': PRODUCT_MODULE, 'web/src/hack.js': 'export const hacked = true;\n' });
      if (call.turn === 1) return cc.bash('mkdir -p web/src && echo "export const sneaked = 1;" > web/src/sneaked.js');
      return cc.done();
    },
  }, { config: onClaudeCode(['backend']) });
  const env = claudeEnvironment(h.api.url);
  try {
    const summary = await runFeature(REQUEST, h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    assert.equal(h.shop.read('server/entities/product.js'), PRODUCT_MODULE);
    assert.ok(!existsSync(join(h.shop.dir, 'web/src/hack.js')), 'the hook refused it');
    assert.ok(!existsSync(join(h.shop.dir, 'web/src/sneaked.js')), 'the owns gate refused it');
    const events = journalOf(h.shop, summary.runId);
    const hooked = events.find((e) => e.type === 'tool.called' && e.agent === 'backend' && e.tool === 'Write' && JSON.stringify(e.input).includes('hack.js'));
    assert.equal(hooked?.isError, true);
    assert.match(String(hooked?.result), /refused by the orchestrator: web\/src\/hack\.js is outside your layer's files \(owns: server\/\*\*\)/);
    const resumed = h.callsOf('backend').find((c) => conversationText(c.req).includes('CHANGES REFUSED'));
    assert.ok(resumed, 'the agent was told');
    assert.match(conversationText(resumed.req), /web\/src\/sneaked\.js: outside your layer's files/);
    assert.match(conversationText(resumed.req), /mkdir -p web\/src/, 'the resumed conversation holds the session\'s history');
    const sessions = events.filter((e) => e.type === 'agent.session' && e.agent === 'backend').map((e) => e.session);
    assert.equal(new Set(sessions).size, 1, 'one session, resumed');
    assert.equal(events.find((e) => e.type === 'agent.completed' && e.agent === 'backend')?.session, sessions[0]);
    assert.ok(!events.some((e) => e.type === 'file.written' && String(e.path).startsWith('web/') && e.agent === 'backend'));
  } finally {
    env.restore();
    await h.close();
  }
});

test('a file the privacy rules deny is not in the agent\'s worktree, even tracked by git: reading .env finds nothing', TIMEOUT, async () => {
  const SECRET = 'sk-live-hunter2-0123456789';
  const h = await harness({
    ...SPEC_AGENTS,
    backend: (call) => {
      if (call.turn === 0) return cc.read(call, '.env');
      if (call.turn === 1) return cc.bash('ls -a . server');
      if (call.turn === 2) return cc.write(call, { 'server/entities/product.js': PRODUCT_MODULE });
      return cc.done();
    },
  }, { config: onClaudeCode(['backend']), files: { '.env': `STRIPE_KEY=${SECRET}\n`, 'server/.env.local': `DB_PASSWORD=${SECRET}\n` } });
  const env = claudeEnvironment(h.api.url);
  try {
    assert.match(h.shop.git('ls-files'), /^\.env$/m, 'git tracks it');
    const summary = await runFeature(REQUEST, h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    const events = journalOf(h.shop, summary.runId);
    const read = events.find((e) => e.type === 'tool.called' && e.agent === 'backend' && e.tool === 'Read');
    assert.equal(read?.isError, true, 'nothing to read');
    const bash = events.find((e) => e.type === 'tool.called' && e.agent === 'backend' && e.tool === 'Bash');
    assert.equal(bash?.isError, false);
    assert.match(String(bash?.result), /package\.json/, 'the listing ran');
    assert.doesNotMatch(String(bash?.result), /\.env/, 'and shows no .env file');
    for (const req of h.api.requests) assert.ok(!JSON.stringify(req.body).includes(SECRET), 'the secret never reaches the model');
    assert.ok(!readFileSync(join(h.shop.dir, `.claude/runs/${summary.runId}/events.jsonl`), 'utf8').includes(SECRET));
    assert.equal(h.shop.read('.env'), `STRIPE_KEY=${SECRET}\n`, 'the user\'s file is untouched');
  } finally {
    env.restore();
    await h.close();
  }
});

test('a failing validate command resumes the same Claude Code session with the error', TIMEOUT, async () => {
  const h = await harness({
    ...SPEC_AGENTS,
    backend: (call) => {
      const text = conversationText(call.req);
      if (text.includes('RETRY MODE')) return text.includes('Fixed the syntax') || /StructuredOutput[^]*RETRY MODE[^]*Write/.test(text) ? cc.done('Fixed the syntax error.') : cc.write(call, { 'server/entities/product.js': PRODUCT_MODULE });
      return call.turn === 0 ? cc.write(call, { 'server/entities/product.js': BROKEN_PRODUCT_MODULE }) : cc.done();
    },
  }, { config: onClaudeCode(['backend']) });
  const env = claudeEnvironment(h.api.url);
  try {
    const summary = await runFeature(REQUEST, h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    assert.equal(h.shop.read('server/entities/product.js'), PRODUCT_MODULE);
    assert.equal(summary.retries.backend, 1);
    const events = journalOf(h.shop, summary.runId);
    const starts = events.filter((e) => e.type === 'agent.started' && e.agent === 'backend');
    assert.equal(starts.length, 2);
    const completed = events.filter((e) => e.type === 'agent.completed' && e.agent === 'backend');
    assert.equal(completed.length, 2);
    assert.equal(completed[0]!.session, completed[1]!.session, 'the retry resumed the same session');
    const retry = h.callsOf('backend').find((c) => conversationText(c.req).includes('RETRY MODE'));
    assert.match(conversationText(retry!.req), /check-server\.js server/, 'with the command');
    assert.match(conversationText(retry!.req), /function list\( \{/, 'and its history');
  } finally {
    env.restore();
    await h.close();
  }
});

test('the budget cap ends Claude Code mid-stream: its whole process group is gone, and no new agent starts', TIMEOUT, async () => {
  const h = await harness({
    ...SPEC_AGENTS,
    backend: (call) => {
      // A command left running in the background, then a reply whose input alone is past the cap, streamed slowly.
      if (call.turn === 0) return cc.bash('(sleep 600 &) ; echo started');
      return { ...reply.slow(cc.write(call, { 'server/entities/product.js': PRODUCT_MODULE }), { streamMs: 120_000 }), usage: { input_tokens: 2_000_000 } };
    },
  }, { config: (yaml) => onClaudeCode(['backend'])(withLimit('maxBudgetUsd', 1)(yaml)) });
  const env = claudeEnvironment(h.api.url);
  try {
    const summary = await runFeature(REQUEST, h.options());
    assert.equal(summary.status, 'stopped');
    assert.match(String(summary.report), /budget/i);
    const events = journalOf(h.shop, summary.runId);
    assert.ok(events.some((e) => e.type === 'budget.exceeded'));
    const done = events.find((e) => e.type === 'agent.completed' && e.agent === 'backend');
    assert.equal(done?.outcome, 'budget');
    assert.ok(!events.some((e) => e.type === 'agent.started' && e.agent === 'frontend'), 'no new agent starts');
    assert.ok(!existsSync(join(h.shop.dir, 'server/entities/product.js')), 'nothing half-applied');
    const worktree = String(events.find((e) => e.type === 'agent.session' && e.agent === 'backend')?.worktree);
    let left = processesIn(worktree);
    for (let i = 0; i < 100 && left.length > 0; i++) {
      await sleep(100);
      left = processesIn(worktree);
    }
    assert.deepEqual(left, [], 'Claude Code and the command it started are gone');
  } finally {
    env.restore();
    await h.close();
  }
});

test('review on Claude Code: a malformed answer is sent back once, then the run stops with the agent\'s text', TIMEOUT, async () => {
  const h = await harness({
    ...SPEC_AGENTS,
    backend: claudeWrites({ 'server/entities/product.js': PRODUCT_MODULE }),
    database: writesThenDone({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }),
    review: (call) => (fromClaude(call.req) ? reply.text('Looks fine to me, ship it.') : say.approve()),
  }, { config: onClaudeCode(['backend'], { roles: { review: 'claude-code' } }) });
  const env = claudeEnvironment(h.api.url);
  try {
    const summary = await runFeature(REQUEST, h.options());
    assert.equal(summary.status, 'stopped', 'no verdict, no completion');
    assert.match(String(summary.error), /claude-code ended without a valid submit_review answer/);
    assert.match(String(summary.error), /Looks fine to me, ship it\./, 'with the agent\'s text');
    const reviewCalls = h.callsOf('review');
    assert.ok(reviewCalls.some((c) => conversationText(c.req).includes('ANSWER REFUSED')), 'sent back once');
    const events = journalOf(h.shop, summary.runId);
    assert.equal(events.filter((e) => e.type === 'agent.started' && e.agent === 'review').length, 1);
    assert.equal(events.find((e) => e.type === 'agent.started' && e.agent === 'review')?.runner, 'claude-code');
    assert.ok(!events.some((e) => e.type === 'review.verdict'));
  } finally {
    env.restore();
    await h.close();
  }
});

test('a missing CLI is one clear line naming the runner and what to do, before any model call', TIMEOUT, async () => {
  const h = await harness(SPEC_AGENTS, { config: (yaml) => onClaudeCode(['backend'])(yaml).replace(JSON.stringify(CLAUDE_BINARY), '/opt/nowhere/claude') });
  try {
    await assert.rejects(runFeature(REQUEST, h.options()), (error: Error) => {
      assert.equal(error.message.split('\n').length, 1);
      assert.match(error.message, /^claude-code: \/opt\/nowhere\/claude does not exist or is not executable \(the runner of backend\) — install it \(npm install -g @anthropic-ai\/claude-code\) or set agentCli\.claude-code\.command/);
      return true;
    });
    assert.equal(h.api.requests.length, 0, 'no model call');
  } finally {
    await h.close();
  }
});

test('issue 36\'s attacks through Claude Code\'s own Bash and Read, in the sandbox: the checkout, the user\'s home, the orchestrator\'s environment, git, loopback and a setsid process are all out of reach', TIMEOUT, () =>
  sandboxAttacks({
    label: 'Claude Code',
    shell: (command) => cc.bash(command),
    write: (call, path, content) => cc.write(call, { [path]: content }),
    read: (_call, path) => reply.toolUse('Read', { file_path: path }),
    done: () => cc.done(),
    world: async (ours, database) => {
      const h = await harness({ ...ours, database }, { config: onClaudeCode(['database']) });
      return { h, callsOf: (agent) => h.callsOf(agent), done: () => h.close() };
    },
  }),
);

test('Claude Code signs in from its private home: a subscription\'s credentials file is copied in and used, with no key in the environment', TIMEOUT, async () => {
  const h = await harness({ ...SPEC_AGENTS, backend: claudeWrites({ 'server/entities/product.js': PRODUCT_MODULE }) }, { config: onClaudeCode(['backend']) });
  const env = claudeEnvironment(h.api.url);
  delete process.env.ANTHROPIC_API_KEY;
  const token = 'sk-ant-oat01-signed-in-from-the-private-home';
  mkdirSync(join(env.home, '.claude'), { recursive: true });
  writeFileSync(join(env.home, '.claude', '.credentials.json'), JSON.stringify({ claudeAiOauth: { accessToken: token, refreshToken: 'sk-ant-ort01-not-used', expiresAt: Date.now() + 3_600_000, scopes: ['user:inference', 'user:profile'], subscriptionType: 'max' } }));
  writeFileSync(join(env.home, '.claude.json'), JSON.stringify({ hasCompletedOnboarding: true, oauthAccount: { emailAddress: 'me@example.com', accountUuid: '00000000-0000-4000-8000-000000000001' } }));
  try {
    const summary = await runFeature(REQUEST, h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    assert.equal(h.shop.read('server/entities/product.js'), PRODUCT_MODULE);
    const calls = h.callsOf('backend').filter((c) => fromClaude(c.req));
    assert.ok(calls.length >= 2, 'Claude Code made its calls');
    for (const call of calls) {
      assert.equal(call.req.headers.authorization, `Bearer ${token}`, 'with the subscription\'s token from the copied credentials');
      assert.equal(call.req.headers['x-api-key'], undefined);
    }
  } finally {
    env.restore();
    await h.close();
  }
});
