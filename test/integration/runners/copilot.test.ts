// The copilot runner end to end: the shared engine suite played on the real Copilot CLI (from
// npm, driven by its SDK) against the Messages API test server as a provider of the user's own,
// while our own agents talk to the harness's server: Copilot's permission callback refuses before
// our owns gate, a reviewer has no editing tools; and what is Copilot's own: not metered, the turn
// cap ends it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFeature } from '../../../src/core/engine';
import { reply, type RecordedRequest } from '../../support/messagesApiServer';
import { say, specAnswer, writesThenDone } from '../../support/engine/agentScript';
import { BROKEN_MIGRATION, PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { journalOf } from '../../support/engine/harness';
import { withLimit } from '../../support/engine/shopWorkspace';
import { processesIn } from '../../support/runners/claudeCode';
import { copilotSays, copilotWorld, lastPrompt, onCopilot, toolNames, toolResults } from '../../support/runners/copilot';
import { REFUSED_HOST } from '../../support/runners/attacks';
import { MIGRATION, MODULE, REQUEST } from '../../support/runners/scenarios';
import { engineSuite, type RunnerCall } from '../../support/runners/engineSuite';

const TIMEOUT = { timeout: 300_000 };

type Call = RunnerCall<RecordedRequest>;

engineSuite<RecordedRequest>({
  name: 'Copilot',
  runner: 'copilot',
  continued: 'session',
  session: /^[0-9a-f-]{36}$/,
  on: onCopilot,
  async world(ours, copilot, config, files) {
    const w = await copilotWorld(ours, copilot, config, files);
    return { h: w.h, callsOf: (agent) => w.cp.callsOf(agent) as Call[], sent: () => JSON.stringify(w.cp.api.requests.map((r) => r.body)), done: () => w.done() };
  },
  shell: copilotSays.bash,
  write: (call, path, content) => copilotSays.create(call.req, { [path]: content }),
  read: (_call, path) => reply.toolUse('view', { path }),
  done: copilotSays.done,
  lastPrompt,
  // No Copilot process (nor a command it started) outlives the run in any agent's worktree.
  leftIn: processesIn,
  parallel: {
    tool: 'create',
    check(w, events) {
      for (const layer of ['database', 'backend']) {
        const session = events.find((e) => e.type === 'agent.session' && e.agent === layer);
        assert.ok(!String(session?.worktree).startsWith(w.h.shop.dir), 'its worktree is outside the checkout');
        assert.ok(events.some((e) => e.type === 'tool.called' && e.agent === layer && e.tool === 'create' && e.isError === false), 'its tool calls are journaled');
        // A provider of the user's own is metered.
        assert.ok(events.some((e) => e.type === 'llm.usage' && e.agent === layer && e.provider === 'copilot'));
      }
      // Copilot worked in its own worktree, on the model the config gave it.
      const first = w.callsOf('database')[0]!.req;
      assert.equal(first.body.model, 'claude-sonnet-4.5');
      assert.doesNotMatch(JSON.stringify(first.body), new RegExp(w.h.shop.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    },
  },
  outsideOwns: {
    refuses: 'Copilot\'s permission callback refuses its create',
    script(call) {
      if (JSON.stringify(call.req.body.messages).includes('CHANGES REFUSED')) return copilotSays.done('Kept to server/.');
      if (call.turn === 0) return copilotSays.create(call.req, { [MODULE]: PRODUCT_MODULE, 'web/src/hack.js': 'export const hack = 1;\n' });
      if (call.turn === 1) return copilotSays.bash('mkdir -p web/src && echo "export const sneaky = 1;" > web/src/sneaky.js');
      return copilotSays.done();
    },
    refused: ['web/src/hack.js', 'web/src/sneaky.js'],
    reverted: /web\/src\/sneaky\.js/,
    check(calls) {
      // Copilot's permission callback refused the create into web/ before it happened.
      assert.match(toolResults(calls[1]!.req), /refused by the orchestrator: web\/src\/hack\.js is outside your layer's files/);
    },
  },
  dotEnv: {
    script(call) {
      if (call.turn === 0) return copilotSays.bash('ls -a');
      if (call.turn === 1) return copilotSays.view(call.req, '.env');
      if (call.turn === 2) return copilotSays.create(call.req, { [MIGRATION]: PRODUCT_MIGRATION });
      return copilotSays.done();
    },
    check(calls) {
      const listing = toolResults(calls[1]!.req);
      assert.match(listing, /\bdb\b/);
      assert.doesNotMatch(listing, /\.env\b/);
      assert.match(toolResults(calls[2]!.req), /does not exist|no such file|not found|holds secrets/i);
    },
  },
  // Its create refuses an existing file: the retry edits it.
  fix: (call) => copilotSays.edit(call.req, MIGRATION, BROKEN_MIGRATION, PRODUCT_MIGRATION),
  budget: {
    // Each model call costs about 1 USD at this test's price (20k input tokens at 50 USD/M): small
    // enough for Copilot's context window (a prompt near it starts Copilot's own compaction calls).
    expensive: { usage: { input_tokens: 20_000, output_tokens: 50 } },
    on: (layers) => (yaml) => withLimit('maxBudgetUsd', 2.5)(onCopilot(layers, { inputPrice: 50 })(yaml)),
  },
  review: {
    refuses: 'no editing tools',
    check(calls) {
      assert.ok(!toolNames(calls[0]!.req).some((name) => name === 'create' || name === 'edit'), 'the reviewer has no editing tools');
    },
  },
  attacks: {
    tools: 'bash and view',
    // Its view of the checkout's .git/config (no secret to our permission callback, which refuses the .env and the key first) met the sandbox, journaled.
    denied: (events) => {
      assert.ok(events.some((e) => e.kind === 'read' && String(e.target).endsWith('/shop/.git/config')), JSON.stringify(events));
      assert.ok(events.some((e) => e.kind === 'net' && e.target === REFUSED_HOST), `the refused host is journaled: ${JSON.stringify(events)}`);
    },
  },
  timeout: TIMEOUT.timeout,
});

test('not metered (a model the pricing table does not know): the turn cap ends the agent with one line, and the journal says "metered": false', TIMEOUT, async () => {
  const w = await copilotWorld(
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
