// The gemini runner end to end: the shared engine suite played on the real Gemini CLI (from npm)
// against the Gemini API test server, while our own agents talk to the Messages API server; and
// what is Gemini's own: not metered, the turn cap ends it, the run's spend says so. Its admin
// policy and a reviewer's tools are geminiAdapter.test.ts's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { spendList } from '../../../src/cli/output';
import { geminiSays, lastPrompt } from '../../support/geminiCalls';
import { say, specAnswer, writesThenDone } from '../../support/engine/agentScript';
import { PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { journalOf } from '../../support/engine/harness';
import { geminiWorld, onGemini } from '../../support/runners/gemini';
import { MODULE, REQUEST } from '../../support/runners/scenarios';
import { engineSuite } from '../../support/runners/engineSuite';
import type { GeminiRecordedRequest } from '../../support/geminiApiServer';

const TIMEOUT = { timeout: 300_000 };

engineSuite<GeminiRecordedRequest>({
  name: 'Gemini',
  runner: 'gemini',
  continued: 'session',
  session: /^[0-9a-f-]{36}$/,
  on: onGemini,
  async world(ours, gemini, config, files) {
    const w = await geminiWorld(ours, gemini, config, files);
    return {
      h: w.h,
      callsOf: (agent) => w.gm.callsOf(agent),
      sent: () => JSON.stringify(w.gm.api.requests.map((r) => r.wire)),
      strays: () => w.gm.api.strays,
      done: () => w.done(),
    };
  },
  shell: geminiSays.shell,
  write: (_call, path, content) => geminiSays.write(path, content),
  read: (_call, path) => geminiSays.read(path),
  done: geminiSays.done,
  lastPrompt,
  parallel: {
    tool: 'write_file',
    check(w) {
      // On the model the config gave it.
      assert.equal(w.callsOf('database')[0]!.req.model, 'gemini-2.5-pro');
    },
  },
  attacks: { tools: 'shell and read_file' },
  timeout: TIMEOUT.timeout,
});

test(
  'not metered (no price for its model): the turn cap ends a Gemini agent mid-turn, the journal says "metered": false and the run\'s spend "not metered"',
  TIMEOUT,
  async () => {
    const w = await geminiWorld(
      {
        spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
        backend: writesThenDone({ [MODULE]: PRODUCT_MODULE }),
        frontend: writesThenDone({ 'web/src/products.js': PRODUCT_SCREEN }),
        review: () => say.approve(),
      },
      { database: () => geminiSays.shell('ls db') },
      onGemini(['database'], { unpriced: true, agentCli: 'maxTurns: 3' }),
    );
    try {
      const summary = await engine.runFeature(REQUEST, w.h.options());
      assert.equal(summary.status, 'stopped', summary.report);
      const stopped = /gemini: stopped after (\d+) model responses — it used agentCli\.gemini\.maxTurns/.exec(
        summary.error ?? summary.report ?? '',
      );
      assert.ok(stopped, summary.error ?? summary.report);
      // The runner reads the responses from Gemini's session file as soon as the stream shows a
      // response's tool calls (and every 100 ms): a quick tool call can let the next request leave
      // before the third response is read, never a second one (under load it did, before that read).
      const turns = Number(stopped[1]);
      const calls = w.gm.callsOf('database').length;
      assert.ok(
        turns >= 3 && turns <= calls && calls <= 4,
        `ended at the cap of 3, or the one request already under way (${turns} responses counted, ${calls} requests)`,
      );
      const events = journalOf(w.h.shop, summary.runId);
      const done = events.find((e) => e.type === 'agent.completed' && e.agent === 'database');
      assert.equal(done?.metered, false);
      assert.equal(done?.turns, turns);
      assert.ok(
        events.some((e) => e.type === 'llm.usage' && e.agent === 'database' && e.priced === false),
        'its tokens are journaled, unpriced',
      );
      // The run's spend says so, per provider.
      assert.ok(summary.byProvider.gemini!.unpricedRequests >= turns);
      assert.match(spendList(summary.byProvider), /gemini not metered \(\d+ replies\)/);
    } finally {
      await w.done();
    }
  },
);
