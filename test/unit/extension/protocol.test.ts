import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyViewState, parseHostMessage, parseWebviewMessage } from '../../../src/shared/protocol';

test('every webview → host message kind parses', () => {
  const good = [
    { type: 'ready' },
    { type: 'approve', specId: 's1' },
    { type: 'save', specId: 's1' },
    { type: 'requestChanges', specId: 's1', feedback: 'Use UUID keys' },
    { type: 'selectSpec', id: 's1' },
    { type: 'cancel' },
    { type: 'openFile', path: 'server/a.ts', line: 3 },
    { type: 'openFile', path: 'server/a.ts' },
    { type: 'runCommand', command: 'showChanges', arg: 'r1' },
    { type: 'manageTrust' },
  ];
  for (const message of good) assert.ok(parseWebviewMessage(message).ok, JSON.stringify(message));
});

test('unknown, malformed and hostile webview messages are dropped with a reason', () => {
  const bad: unknown[] = [
    null,
    'ready',
    {},
    { type: 'nope' },
    { type: 'approve' },
    { type: 'requestChanges', specId: 's1', feedback: '   ' },
    { type: 'openFile', path: '', line: 1 },
    { type: 'openFile', path: 'a.ts', line: 0 },
    { type: 'openFile', path: 'a.ts', line: 1.5 },
    { type: 'runCommand', command: 'workbench.action.terminal.new' },
    { type: 'selectSpec', id: 'x'.repeat(301) },
  ];
  for (const message of bad) {
    const parsed = parseWebviewMessage(message);
    assert.equal(parsed.ok, false, JSON.stringify(message));
    if (!parsed.ok) assert.match(parsed.error, /^dropped message/);
  }
});

test('requestChanges feedback is trimmed', () => {
  const parsed = parseWebviewMessage({ type: 'requestChanges', specId: 's1', feedback: '  more tests  ' });
  assert.ok(parsed.ok && parsed.message.type === 'requestChanges' && parsed.message.feedback === 'more tests');
});

test('host → webview: state and notice parse; a bad state is dropped', () => {
  assert.ok(parseHostMessage({ type: 'state', state: emptyViewState() }).ok);
  assert.ok(parseHostMessage({ type: 'notice', level: 'info', text: 'Feedback sent' }).ok);
  assert.equal(parseHostMessage({ type: 'state', state: { ...emptyViewState(), specs: 'no' } }).ok, false);
  assert.equal(parseHostMessage({ type: 'event', event: {} }).ok, false);
  assert.equal(parseHostMessage({ type: 'notice', level: 'debug', text: 'x' }).ok, false);
});

test('extra fields are stripped, not passed through', () => {
  const parsed = parseWebviewMessage({ type: 'cancel', evil: true });
  assert.ok(parsed.ok);
  if (parsed.ok) assert.deepEqual(parsed.message, { type: 'cancel' });
});

test('a Mustard spec folder in the list keeps its stage, outcome and refusal through the protocol', () => {
  const item = {
    id: '.claude/spec/2026-06-10-login',
    title: 'Login',
    kind: 'feature',
    status: 'Mustard Close · Completed',
    path: '.claude/spec/2026-06-10-login/spec.md',
    created: '2026-06-10T09:00:00.000Z',
    mustard: { stage: 'Close', outcome: 'Completed', waves: 2, completedWaves: 2, approvedByUser: true, refusal: 'finished in Mustard' },
  };
  const parsed = parseHostMessage({ type: 'state', state: { ...emptyViewState(), specs: [item] } });
  assert.ok(parsed.ok && parsed.message.type === 'state');
  if (parsed.ok && parsed.message.type === 'state') assert.deepEqual(parsed.message.state.specs[0], item);
  assert.equal(parseHostMessage({ type: 'state', state: { ...emptyViewState(), specs: [{ ...item, mustard: { stage: 'Close' } }] } }).ok, false);
});
