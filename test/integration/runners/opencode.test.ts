// The opencode runner end to end: the shared engine suite played on the real opencode CLI (from
// npm) against the Chat Completions test server, while our own agents talk to the Messages API
// server: our text as its whole system prompt, no request of its own (no title generation). Its
// native rules, its resume, a read-only role and its usage streaming are opencodeAdapter.test.ts's.
import assert from 'node:assert/strict';
import type { ChatRecordedRequest } from '../../support/chatCompletionsServer';
import { reply } from '../../support/messagesApiServer';
import { lastPrompt, onOpencode, OPENCODE_MODEL, opencodeSays, opencodeWorld } from '../../support/runners/opencode';
import { engineSuite } from '../../support/runners/engineSuite';

engineSuite<ChatRecordedRequest>({
  name: 'opencode',
  runner: 'opencode',
  continued: 'session',
  session: /^ses_[0-9A-Za-z]+$/,
  step: 'step',
  on: onOpencode,
  async world(ours, oc, config, files) {
    const w = await opencodeWorld(ours, oc, config, files);
    return {
      h: w.h,
      callsOf: (agent) => w.oc.callsOf(agent),
      sent: () => JSON.stringify(w.oc.api.requests.map((r) => r.wire)),
      // Every request is an agent's own: none the routing could not place.
      strays: () => w.oc.api.requests.slice(w.oc.calls.length).map((r) => JSON.stringify(r.wire).slice(0, 200)),
      done: () => w.done(),
    };
  },
  shell: opencodeSays.shell,
  write: (_call, path, content) => opencodeSays.write({ [path]: content }),
  read: (_call, path) => reply.toolUse('read', { filePath: path }),
  done: opencodeSays.done,
  lastPrompt,
  // opencode's first start in a fresh home takes a while.
  waits: 2400,
  parallel: {
    tool: 'write',
    check(w) {
      // On the model the config gave it, with our text as its system prompt.
      for (const layer of ['database', 'backend']) {
        const first = w.callsOf(layer)[0]!.req;
        assert.equal(first.wire.model, OPENCODE_MODEL);
        assert.match(
          JSON.stringify(first.wire.messages[0]),
          new RegExp(`You are the ${layer.toUpperCase()} SPECIALIST`),
        );
      }
    },
  },
  attacks: { tools: 'bash and read' },
  timeout: 400_000,
});
