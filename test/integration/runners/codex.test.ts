// The codex runner end to end: the shared engine suite played on the real Codex CLI (from npm)
// against the Responses API test server, while our own agents talk to the Messages API server:
// Codex's permission profile refuses before our owns gate, its own sandbox makes a reviewer
// read-only, its helpers never outlive a run, its answer schema is the strict one.
import assert from 'node:assert/strict';
import { codexSays, lastPrompt, toolOutputs } from '../../support/codexCalls';
import { withLimit } from '../../support/engine/shopWorkspace';
import { codexWorld, onCodex } from '../../support/runners/codex';
import { leftoverHelpers } from '../../../src/core/runners/codex/leftovers';
import { MIGRATION, MODULE } from '../../support/runners/scenarios';
import { PRODUCT_MIGRATION, PRODUCT_MODULE } from '../../support/engine/fixtures';
import { engineSuite } from '../../support/runners/engineSuite';
import type { ResponsesRecordedRequest } from '../../support/responsesApiServer';

const outputs = (req: ResponsesRecordedRequest): string => toolOutputs(req).join('\n');

engineSuite<ResponsesRecordedRequest>({
  name: 'Codex',
  runner: 'codex',
  continued: 'thread',
  session: /^[0-9a-f-]{36}$/,
  on: onCodex,
  async world(ours, codex, config, files) {
    const { h, cx, done } = await codexWorld(ours, codex, config, files);
    return { h, callsOf: (agent) => cx.callsOf(agent), sent: () => JSON.stringify(cx.api.requests.map((r) => r.wire)), strays: () => cx.api.strays, done };
  },
  shell: codexSays.shell,
  write: (_call, path, content) => codexSays.patch({ [path]: content }),
  done: codexSays.done,
  lastPrompt,
  // No Codex process (its patch helper included) outlives the run in any agent's worktree.
  leftIn: leftoverHelpers,
  parallel: {
    tool: 'apply_patch',
    check(w) {
      // On the model the config gave it.
      assert.equal(w.callsOf('database')[0]!.req.wire.model, 'gpt-5.5');
    },
  },
  outsideOwns: {
    refuses: 'Codex refuses what its profile forbids',
    script(call) {
      if (call.turn === 0 && call.attempt === 1) return codexSays.patch({ 'web/src/hack.js': 'export const hack = 1;\n' });
      // server/.gitignore is inside the folder Codex may write, but a protected path for us.
      if (call.turn === 1 && call.attempt === 1) return codexSays.patch({ [MODULE]: PRODUCT_MODULE, 'server/.gitignore': '*.js\n' });
      return codexSays.done();
    },
    refused: ['web/src/hack.js', 'server/.gitignore'],
    reverted: /server\/\.gitignore/,
    check(calls) {
      // Codex's own sandbox refused the patch into web/.
      assert.match(outputs(calls[1]!.req), /patch rejected: writing outside of the project/);
    },
  },
  dotEnv: {
    script(call) {
      if (call.turn === 0) return codexSays.shell('cat .env; ls -a');
      if (call.turn === 1) return codexSays.patch({ [MIGRATION]: PRODUCT_MIGRATION });
      return codexSays.done();
    },
    check(calls) {
      assert.match(outputs(calls[1]!.req), /\.env: No such file or directory/);
    },
  },
  fix: () => codexSays.patch({ [MIGRATION]: PRODUCT_MIGRATION }),
  budget: {
    // Each Codex response costs about 1 USD at the test price (200k input tokens at 5 USD/M).
    expensive: { usage: { input_tokens: 200_000, output_tokens: 50 } },
    on: (layers) => (yaml) => withLimit('maxBudgetUsd', 2.5)(onCodex(layers)(yaml)),
  },
  review: {
    check(calls) {
      assert.match(outputs(calls[1]!.req), /Read-only file system/, 'the reviewer cannot write');
      const format = calls[0]!.req.wire.text?.format as { schema: { required: string[] } };
      assert.deepEqual([...format.schema.required].sort(), ['criteria', 'issues', 'verdict']);
    },
  },
  attacks: { tools: 'shell' },
  timeout: 300_000,
});
