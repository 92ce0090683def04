// The gemini runner end to end: the shared engine suite played on the real Gemini CLI (from npm)
// against the Gemini API test server, while our own agents talk to the Messages API server:
// Gemini's admin policy refuses before our owns gate, a reviewer has no edit tools and its
// redirecting command is refused by Gemini itself; and what is Gemini's own: not metered, the
// turn cap ends it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFeature } from '../../../src/core/engine';
import { geminiSays, lastPrompt, toolOutputs } from '../../support/geminiCalls';
import { say, specAnswer, writesThenDone } from '../../support/engine/agentScript';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { journalOf } from '../../support/engine/harness';
import { withLimit } from '../../support/engine/shopWorkspace';
import { geminiWorld, onGemini } from '../../support/runners/gemini';
import { MIGRATION, MODULE, REQUEST } from '../../support/runners/scenarios';
import { engineSuite } from '../../support/runners/engineSuite';
import type { GeminiRecordedRequest } from '../../support/geminiApiServer';

const TIMEOUT = { timeout: 300_000 };
const outputs = (req: GeminiRecordedRequest): string => toolOutputs(req).join('\n');

engineSuite<GeminiRecordedRequest>({
  name: 'Gemini',
  runner: 'gemini',
  continued: 'session',
  session: /^[0-9a-f-]{36}$/,
  on: onGemini,
  async world(ours, gemini, config, files) {
    const w = await geminiWorld(ours, gemini, config, files);
    return { h: w.h, callsOf: (agent) => w.gm.callsOf(agent), sent: () => JSON.stringify(w.gm.api.requests.map((r) => r.wire)), strays: () => w.gm.api.strays, done: () => w.done() };
  },
  shell: geminiSays.shell,
  write: (_call, path, content) => geminiSays.write(path, content),
  read: (_call, path) => geminiSays.read(path),
  done: geminiSays.done,
  lastPrompt,
  parallel: {
    tool: 'write_file',
    check(w, events) {
      for (const layer of ['database', 'backend']) assert.ok(events.some((e) => e.type === 'llm.usage' && e.agent === layer && e.provider === 'gemini'));
      // On the model the config gave it.
      assert.equal(w.callsOf('database')[0]!.req.model, 'gemini-2.5-pro');
    },
  },
  outsideOwns: {
    refuses: 'Gemini refuses what its policy forbids',
    script(call) {
      if (call.turn === 0 && call.attempt === 1) return geminiSays.write('web/src/hack.js', 'export const hack = 1;\n');
      if (call.turn === 1 && call.attempt === 1) return geminiSays.write(MODULE, PRODUCT_MODULE);
      // A command is not confined by the policy: what it writes outside owns is our gate's.
      if (call.turn === 2 && call.attempt === 1) return geminiSays.shell('mkdir -p web/src && echo "export const hack = 2;" > web/src/hack2.js');
      return geminiSays.done();
    },
    refused: ['web/src/hack.js', 'web/src/hack2.js'],
    reverted: /web\/src\/hack2\.js/,
    check(calls) {
      // Gemini's own policy refused the write into web/.
      assert.match(outputs(calls[1]!.req), /refused by the orchestrator: outside your layer's files \(owns: server\/\*\*\)/);
    },
  },
  dotEnv: {
    script(call) {
      if (call.turn === 0) return geminiSays.shell('cat .env; ls -a');
      if (call.turn === 1) return geminiSays.read('.env');
      if (call.turn === 2) return geminiSays.write(MIGRATION, PRODUCT_MIGRATION);
      return geminiSays.done();
    },
    check(calls) {
      assert.match(outputs(calls[1]!.req), /\.env: No such file or directory/);
      // Gemini's read_file cannot resolve a file that is not there (it says the path is outside the workspace).
      assert.match(outputs(calls[2]!.req), /Path not in workspace|not found|does not exist|No such file/i);
    },
  },
  fix: () => geminiSays.write(MIGRATION, PRODUCT_MIGRATION),
  budget: {
    // Each Gemini response costs about 1 USD at the test price (200k input tokens at 5 USD/M).
    expensive: { usage: { input_tokens: 200_000, output_tokens: 50 } },
    on: (layers) => (yaml) => withLimit('maxBudgetUsd', 2.5)(onGemini(layers)(yaml)),
  },
  review: {
    check(calls) {
      assert.match(outputs(calls[1]!.req), /requires user confirmation, which is not supported in non-interactive mode/, 'the reviewer cannot write');
      const tools = (calls[0]!.req.wire.tools ?? []).flatMap((t) => (t.functionDeclarations ?? []).map((fn) => fn.name));
      assert.ok(!tools.includes('write_file') && !tools.includes('replace'), 'no edit tools');
    },
  },
  attacks: { tools: 'shell and read_file' },
  timeout: TIMEOUT.timeout,
});

test('not metered (no price for its model): the turn cap ends a Gemini agent mid-turn, and the journal says "metered": false', TIMEOUT, async () => {
  const w = await geminiWorld(
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
