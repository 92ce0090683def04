// The copilot runner end to end: the shared engine suite played on the real Copilot CLI (from
// npm, driven by its SDK) against the Messages API test server as a provider of the user's own,
// while our own agents talk to the harness's server; and what is Copilot's own: not metered, the
// turn cap ends it. Its permission callback and a reviewer's tools are copilotAdapter.test.ts's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { reply, type RecordedRequest } from '../../support/messagesApiServer';
import { say, specAnswer, writesThenDone } from '../../support/engine/agentScript';
import { PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { journalOf } from '../../support/engine/harness';
import { processesIn } from '../../support/runners/claudeCode';
import { copilotSays, copilotWorld, lastPrompt, onCopilot } from '../../support/runners/copilot';
import { REFUSED_HOST } from '../../support/runners/attacks';
import { MODULE, REQUEST } from '../../support/runners/scenarios';
import { engineSuite, type RunnerCall } from '../../support/runners/engineSuite';
import { escape } from '../../support/runners/engineRunner';

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
    return {
      h: w.h,
      callsOf: (agent) => w.cp.callsOf(agent) as Call[],
      sent: () => JSON.stringify(w.cp.api.requests.map((r) => r.body)),
      done: () => w.done(),
    };
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
    check(w) {
      // Copilot worked in its own worktree (not even its system prompt names the checkout), on the model the config gave it.
      const first = w.callsOf('database')[0]!.req;
      assert.equal(first.body.model, 'claude-sonnet-4.5');
      assert.doesNotMatch(JSON.stringify(first.body), new RegExp(escape(w.h.shop.dir)));
    },
  },
  attacks: {
    tools: 'bash and view',
    // Its view of the checkout's .git/config (no secret to our permission callback, which refuses the .env and the key first) met the sandbox, journaled.
    denied: (events) => {
      assert.ok(
        events.some((e) => e.kind === 'read' && String(e.target).endsWith('/shop/.git/config')),
        JSON.stringify(events),
      );
      assert.ok(
        events.some((e) => e.kind === 'net' && e.target === REFUSED_HOST),
        `the refused host is journaled: ${JSON.stringify(events)}`,
      );
    },
  },
  timeout: TIMEOUT.timeout,
});

test(
  'not metered (a model the pricing table does not know): the turn cap ends the agent with one line, and the journal says "metered": false',
  TIMEOUT,
  async () => {
    const w = await copilotWorld(
      {
        spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
        backend: writesThenDone({ [MODULE]: PRODUCT_MODULE }),
        frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
        review: () => say.approve(),
      },
      { database: () => copilotSays.bash('ls db') },
      onCopilot(['database'], { model: 'local-coder-1', agentCli: 'maxTurns: 3' }),
    );
    try {
      const summary = await engine.runFeature(REQUEST, w.h.options());
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
  },
);
