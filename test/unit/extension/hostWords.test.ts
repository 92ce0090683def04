// Issue 45: the hosts only style the event catalogue's words. VS Code's log says every event in
// them (sandbox.denied reached it as `event sandbox.denied` once); the chat has its own lines for
// the run's progress and says in the catalogue's words what warns, escaped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wordsOf } from '../../../src/core/catalogue';
import type { EngineEvent } from '../../../src/core/events';
import { chatLineOf } from '../../../src/extension/chat/chatLines';
import { formatEvent } from '../../../src/extension/log/formatEvent';

const denied: EngineEvent = { type: 'sandbox.denied', layer: 'backend', kind: 'write', target: '/etc/passwd' };

test('the VS Code log prints sandbox.denied in words, as a warning', () => {
  assert.deepEqual(formatEvent(denied), { level: 'warn', text: '⛔ backend: the sandbox refused write /etc/passwd' });
  assert.deepEqual(formatEvent({ ...denied, layer: undefined, agent: 'web', kind: 'net', command: 'curl x' }), {
    level: 'warn',
    text: '⛔ web: the sandbox refused net /etc/passwd (curl x)',
  });
});

test("the chat: its own lines for the progress, the catalogue's words (escaped) for what warns, nothing for the stop its end reports", () => {
  assert.deepEqual(chatLineOf({ type: 'phase.started', phase: 'IMPLEMENT' }, wordsOf), { progress: 'Phase IMPLEMENT' });
  assert.deepEqual(
    chatLineOf({ type: 'validation.failed', layer: 'web', command: 'npm test', output: 'x', exitCode: 1 }, wordsOf),
    { markdown: '- web: `npm test` failed (exit 1)\n' },
  );
  assert.deepEqual(chatLineOf(denied, wordsOf), {
    markdown: '- ⛔ backend\\: the sandbox refused write /etc/passwd\n',
  });
  assert.deepEqual(chatLineOf({ type: 'log', level: 'error', message: 'disk *full*' }, wordsOf), {
    markdown: '- error\\: disk \\*full\\*\n',
  });
  assert.equal(
    chatLineOf({ type: 'run.stopped', runId: 'r1', reason: 'validation failed', report: 'r' }, wordsOf),
    undefined,
  );
  assert.equal(
    chatLineOf({ type: 'file.written', agent: 'web', path: 'a.ts', created: true, bytes: 1 }, wordsOf),
    undefined,
    'a file is a reference, not a line',
  );
  assert.equal(
    chatLineOf(
      {
        type: 'llm.usage',
        agent: 'web',
        model: 'm',
        usage: { input: 1, output: 1, cacheRead: 0, cacheWrite: 0 },
        costUsd: 0,
        ms: 1,
      },
      wordsOf,
    ),
    undefined,
  );
});

test('the chat says what the spec now shows done as each layer is accepted, and when its ticks are taken back (issue 71)', () => {
  const ticked: EngineEvent = {
    type: 'spec.ticked',
    specId: 's',
    layer: 'backend',
    done: true,
    items: ['server/a.js: the *module*', 'Backend: write it'],
  };
  assert.deepEqual(chatLineOf(ticked, wordsOf), {
    markdown: '- backend: ticked in the spec: server/a\\.js\\: the \\*module\\*; Backend\\: write it\n',
  });
  assert.deepEqual(chatLineOf({ ...ticked, done: false }, wordsOf), {
    markdown: '- backend works again: its ticks in the spec taken back\n',
  });
  assert.equal(wordsOf(ticked).text, '✓ backend: 2 lines of the spec ticked');
});
