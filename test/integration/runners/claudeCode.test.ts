// The claude-code runner end to end: the shared engine suite played on the real Claude Code (the
// Agent SDK's binary) against the Messages API test server it shares with our own agents. Claude
// Code carries the suite's behaviours that are ours (engineSuite.ts): it is the cheapest CLI to
// start, and its own parts (the hook refusing a write outside owns, its structured output, its
// read-only reviewer) have no adapter suite. What is Claude Code's own: a missing CLI is one line
// before any model call, and it signs in from its private home.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { engine } from '../../../src/core/engine';
import { say, specAnswer, writesThenDone, type AgentCall } from '../../support/engine/agentScript';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { harness, journalOf } from '../../support/engine/harness';
import { reply, type RecordedRequest } from '../../support/messagesApiServer';
import { withLimit } from '../../support/engine/shopWorkspace';
import {
  cc,
  CLAUDE_BINARY,
  claudeEnvironment,
  claudeWorld,
  conversationText,
  fromClaude,
  lastPrompt,
  onClaudeCode,
  processesIn,
  toolNames,
} from '../../support/runners/claudeCode';
import { MIGRATION, MODULE, REQUEST } from '../../support/runners/scenarios';
import { onRunner } from '../../support/runners/runnerWorld';
import { engineSuite } from '../../support/runners/engineSuite';
import { PRODUCT_PROOF_FILE, PRODUCT_PROOF_LOOSENED } from '../../support/engine/productProof';

const TIMEOUT = { timeout: 300_000 };
/** The model the shop's config gives a layer. */
const MODEL = 'claude-sonnet-5-5';
/** The config lines that put `layers` (and `roles`) on claude-code, on the model given (priced at `pricing`, else from the built-in table). */
const onClaude = (layers: string[], extra: { roles?: string[] } = {}, pricing = '') =>
  onRunner(
    'claude-code',
    { command: CLAUDE_BINARY, env: ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL'], model: MODEL, pricing },
    layers,
    extra,
  );

engineSuite<RecordedRequest>({
  name: 'Claude Code',
  runner: 'claude-code',
  continued: 'session',
  session: /^[0-9a-f-]{36}$/,
  on: onClaude,
  async world(ours, theirs, config, files) {
    const w = await claudeWorld({ ...ours, ...theirs }, config, files);
    return {
      h: w.h,
      callsOf: (agent) => w.h.callsOf(agent),
      sent: () => JSON.stringify(w.h.api.requests.map((r) => r.body)),
      done: w.done,
    };
  },
  shell: cc.bash,
  write: (call, path, content) => cc.write(call, { [path]: content }),
  read: (_call, path) => reply.toolUse('Read', { file_path: path }),
  done: cc.done,
  lastPrompt,
  // No Claude Code (nor a command it started) outlives the run in any agent's worktree.
  leftIn: processesIn,
  parallel: {
    tool: 'Write',
    // Its structured answer is a turn of its own.
    turns: 3,
    check(w) {
      // On the model the config gave it.
      assert.equal(w.callsOf('database')[0]!.req.body.model, MODEL);
    },
  },
  attacks: { tools: 'Bash and Read' },
  timeout: TIMEOUT.timeout,
  ours: {
    answer: cc.answer,
    outsideOwns: {
      refuses: 'its hook refuses a write at once',
      script(call) {
        if (conversationText(call.req).includes('CHANGES REFUSED')) return cc.done('Kept to server/.');
        // Its hook lets the proof test through (inside owns): the owns gate reverts it.
        if (call.turn === 0)
          return cc.write(call, {
            [MODULE]: PRODUCT_MODULE,
            'web/src/hack.js': 'export const hacked = true;\n',
            [PRODUCT_PROOF_FILE]: PRODUCT_PROOF_LOOSENED,
          });
        // A command is not bound by the hook: what it writes outside owns, or on a path protected inside them, is our gate's
        // (Claude Code itself refuses a command that names .gitignore: the script does not).
        if (call.turn === 1)
          return cc.bash(
            `mkdir -p web/src && echo "export const sneaked = 1;" > web/src/sneaked.js && node -e "require('fs').writeFileSync('server/.git' + 'ignore', '*.js')"`,
          );
        return cc.done();
      },
      refused: ['web/src/hack.js', 'web/src/sneaked.js', 'server/.gitignore'],
      reverted: [/web\/src\/sneaked\.js: outside your layer's files/, /server\/\.gitignore/],
      check(calls, events) {
        const hooked = events.find(
          (e) =>
            e.type === 'tool.called' &&
            e.agent === 'backend' &&
            e.tool === 'Write' &&
            JSON.stringify(e.input).includes('hack.js'),
        );
        assert.equal(hooked?.isError, true, 'the hook refused it');
        assert.match(
          String(hooked?.result),
          /refused by the orchestrator: web\/src\/hack\.js is outside your layer's files \(owns: server\/\*\*\)/,
        );
        const resumed = calls.find((c) => /CHANGES REFUSED/.test(lastPrompt(c.req)));
        assert.match(
          conversationText(resumed!.req),
          /mkdir -p web\/src/,
          "the resumed conversation holds the session's history",
        );
      },
    },
    dotEnv: {
      script(call, migration) {
        if (call.turn === 0) return cc.read(call, '.env');
        if (call.turn === 1) return cc.bash('ls -a . db');
        if (call.turn === 2) return cc.write(call, { [MIGRATION]: migration });
        return cc.done();
      },
      check(_calls, events) {
        const read = events.find((e) => e.type === 'tool.called' && e.agent === 'database' && e.tool === 'Read');
        assert.equal(read?.isError, true, 'nothing to read');
        const bash = events.find((e) => e.type === 'tool.called' && e.agent === 'database' && e.tool === 'Bash');
        assert.equal(bash?.isError, false);
        assert.match(String(bash?.result), /package\.json/, 'the listing ran');
        assert.doesNotMatch(String(bash?.result), /\.env/, 'and shows no .env file');
      },
    },
    fix: (call) => cc.write(call, { [MIGRATION]: PRODUCT_MIGRATION }),
    budget: {
      // Each reply costs 1 USD by our price (200k input tokens at 5 USD/M), more than by Claude Code's own (its cap, the budget left, must not come first).
      expensive: { usage: { input_tokens: 200_000, output_tokens: 50 } },
      on: (layers) => (yaml) =>
        withLimit('maxBudgetUsd', 2.5)(onClaude(layers, {}, `pricing:\n  ${MODEL}: { input: 5, output: 40 }\n`)(yaml)),
    },
    review: {
      refuses: 'read-only',
      check(calls) {
        assert.ok(
          !toolNames(calls[0]!.req).some((name) => ['Write', 'Edit', 'MultiEdit', 'NotebookEdit'].includes(name)),
          'the reviewer has no editing tools',
        );
      },
    },
  },
});

/** A layer on Claude Code: write its files, then answer done. */
const claudeWrites = (files: Record<string, string>) => (call: AgentCall) =>
  call.turn === 0 ? cc.write(call, files) : cc.done();

const SPEC_AGENTS = {
  spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
  database: writesThenDone({ [MIGRATION]: PRODUCT_MIGRATION }),
  frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
  review: () => say.approve(),
};

test('a missing CLI is one clear line naming the runner and what to do, before any model call', TIMEOUT, async () => {
  const h = await harness(SPEC_AGENTS, {
    config: (yaml) => onClaudeCode(['backend'])(yaml).replace(JSON.stringify(CLAUDE_BINARY), '/opt/nowhere/claude'),
  });
  try {
    await assert.rejects(engine.runFeature(REQUEST, h.options()), (error: Error) => {
      assert.equal(error.message.split('\n').length, 1);
      assert.match(
        error.message,
        /^claude-code: \/opt\/nowhere\/claude does not exist or is not executable \(the runner of backend\) — install it \(npm install -g @anthropic-ai\/claude-code\) or set agentCli\.claude-code\.command/,
      );
      return true;
    });
    assert.equal(h.api.requests.length, 0, 'no model call');
  } finally {
    await h.close();
  }
});

test(
  "Claude Code signs in from its private home: a subscription's credentials file is copied in and used, with no key in the environment",
  TIMEOUT,
  async () => {
    const h = await harness(
      { ...SPEC_AGENTS, backend: claudeWrites({ [MODULE]: PRODUCT_MODULE }) },
      { config: onClaudeCode(['backend']) },
    );
    const env = claudeEnvironment(h.api.url);
    delete process.env.ANTHROPIC_API_KEY;
    const token = 'sk-ant-oat01-signed-in-from-the-private-home';
    mkdirSync(join(env.home, '.claude'), { recursive: true });
    writeFileSync(
      join(env.home, '.claude', '.credentials.json'),
      JSON.stringify({
        claudeAiOauth: {
          accessToken: token,
          refreshToken: 'sk-ant-ort01-not-used',
          expiresAt: Date.now() + 3_600_000,
          scopes: ['user:inference', 'user:profile'],
          subscriptionType: 'max',
        },
      }),
    );
    writeFileSync(
      join(env.home, '.claude.json'),
      JSON.stringify({
        hasCompletedOnboarding: true,
        oauthAccount: { emailAddress: 'me@example.com', accountUuid: '00000000-0000-4000-8000-000000000001' },
      }),
    );
    try {
      const summary = await engine.runFeature(REQUEST, h.options());
      assert.equal(summary.status, 'completed', summary.error ?? summary.report);
      assert.equal(h.shop.read(MODULE), PRODUCT_MODULE);
      const calls = h.callsOf('backend').filter((c) => fromClaude(c.req));
      assert.ok(calls.length >= 2, 'Claude Code made its calls');
      for (const call of calls) {
        assert.equal(
          call.req.headers.authorization,
          `Bearer ${token}`,
          "with the subscription's token from the copied credentials",
        );
        assert.equal(call.req.headers['x-api-key'], undefined);
      }
    } finally {
      env.restore();
      await h.close();
    }
  },
);

// Attempts (docs/attempts.md) mixing runners: the backend tried on Claude Code and on our own agent at
// once, each in its own worktree and sandbox. Ours never passes; Claude Code's attempt is kept and
// joins the run through the same gates, its session journaled as the backend's; nothing is left
// running and no attempt's worktree remains.
test(
  'attempts on Claude Code and our agent at once: the one passing is kept, whichever runner it ran on',
  TIMEOUT,
  async () => {
    const BROKEN = PRODUCT_MODULE.replace('function list() {', 'function list( {');
    const w = await claudeWorld(
      {
        ...SPEC_AGENTS,
        backend: (call) =>
          call.req.body.model === MODEL
            ? claudeWrites({ [MODULE]: PRODUCT_MODULE })(call)
            : call.turn === 0
              ? say.write({ [MODULE]: BROKEN })
              : say.done(),
      },
      (yaml) =>
        `${withLimit('maxRetries', 1)(onClaude([])(yaml)).replace(/\n {2}backend:\n/, '\n  backend:\n    attempts: 2\n')}\nattemptRunners: ["claude-code:${MODEL}", "agent:m-ours"]\n`,
    );
    try {
      const summary = await engine.runFeature(REQUEST, w.h.options());
      assert.equal(summary.status, 'completed', summary.error ?? summary.report);
      const events = journalOf(w.h.shop, summary.runId);
      assert.deepEqual(
        events
          .filter((e) => e.type === 'attempt.judged')
          .map((e) => [e.k, e.validate])
          .sort(),
        [
          [1, 'passed'],
          [2, 'failed'],
        ],
      );
      assert.deepEqual(
        events.filter((e) => e.type === 'attempt.picked').map((e) => e.k),
        [1],
      );
      assert.equal(w.h.shop.read(MODULE), PRODUCT_MODULE);
      assert.equal(events.find((e) => e.type === 'agent.started' && e.agent === 'backend')?.runner, 'claude-code');
      assert.ok(
        events.some((e) => e.type === 'agent.session' && e.agent === 'backend'),
        'its session joined the run',
      );
      assert.ok(
        w.h.callsOf('backend').some((c) => c.req.body.model === 'm-ours'),
        'our agent tried too',
      );
      assert.equal(w.h.shop.git('worktree', 'list', '--porcelain').match(/^worktree /gm)!.length, 1);
      assert.deepEqual(processesIn(dirname(w.h.shop.dir)), []);
    } finally {
      await w.done();
    }
  },
);
