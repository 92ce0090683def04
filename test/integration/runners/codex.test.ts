// The codex runner end to end: the shared engine suite played on the real Codex CLI (from npm)
// against the Responses API test server, while our own agents talk to the Messages API server:
// Codex in our sandbox with its own nested in it, its helpers never outliving a run. What Codex
// refuses natively, its read-only profile and strict answer schema are codexAdapter.test.ts's.
import assert from 'node:assert/strict';
import { codexSays, lastPrompt } from '../../support/codexCalls';
import { codexWorld, onCodex } from '../../support/runners/codex';
import { leftoverHelpers } from '../../../src/core/runners/codex/leftovers';
import { engineSuite } from '../../support/runners/engineSuite';
import type { ResponsesRecordedRequest } from '../../support/responsesApiServer';

engineSuite<ResponsesRecordedRequest>({
  name: 'Codex',
  runner: 'codex',
  continued: 'thread',
  session: /^[0-9a-f-]{36}$/,
  on: onCodex,
  async world(ours, codex, config, files) {
    const { h, cx, done } = await codexWorld(ours, codex, config, files);
    return {
      h,
      callsOf: (agent) => cx.callsOf(agent),
      sent: () => JSON.stringify(cx.api.requests.map((r) => r.wire)),
      strays: () => cx.api.strays,
      done,
    };
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
  attacks: { tools: 'shell' },
  timeout: 300_000,
});
