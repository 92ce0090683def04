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
    { type: 'assignLayer', specId: 's1', task: 'T010a', layer: 'backend' },
    { type: 'importFolder', folder: '.kiro/specs/cart' },
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
    { type: 'assignLayer', specId: 's1', task: '3.2', layer: 'back end; rm -rf' },
    { type: 'assignLayer', specId: 's1', task: '', layer: 'backend' },
    { type: 'assignLayer', specId: 's1', task: '3.2' },
    { type: 'importFolder', folder: '' },
    { type: 'importFolder', folder: 42 },
    { type: 'importFolder', folder: 'x'.repeat(1001) },
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
    mustard: {
      stage: 'Close',
      outcome: 'Completed',
      waves: 2,
      completedWaves: 2,
      approvedByUser: true,
      refusal: 'finished in Mustard',
    },
  };
  const parsed = parseHostMessage({ type: 'state', state: { ...emptyViewState(), specs: [item] } });
  assert.ok(parsed.ok && parsed.message.type === 'state');
  if (parsed.ok && parsed.message.type === 'state') assert.deepEqual(parsed.message.state.specs[0], item);
  assert.equal(
    parseHostMessage({
      type: 'state',
      state: { ...emptyViewState(), specs: [{ ...item, mustard: { stage: 'Close' } }] },
    }).ok,
    false,
  );
});

test('Initialize Workspace: the accepted layers parse; a bad name, empty owns or an oversized list are refused', () => {
  const layer = { from: 'frontend', name: 'webapp', owns: [' web/src/** '], validate: ['npm run lint -w web'] };
  const parsed = parseWebviewMessage({ type: 'initAccept', layers: [layer] });
  assert.ok(parsed.ok);
  assert.deepEqual(
    parsed.ok && parsed.message,
    { type: 'initAccept', layers: [{ ...layer, owns: ['web/src/**'] }] },
    'globs are trimmed',
  );
  assert.ok(parseWebviewMessage({ type: 'initCancel' }).ok);
  const bad: unknown[] = [
    { type: 'initAccept', layers: [] },
    { type: 'initAccept', layers: [{ ...layer, name: '../etc' }] },
    { type: 'initAccept', layers: [{ ...layer, owns: [] }] },
    { type: 'initAccept', layers: [{ ...layer, owns: ['   '] }] },
    { type: 'initAccept', layers: [{ ...layer, validate: Array.from({ length: 21 }, () => 'x') }] },
    { type: 'initAccept', layers: Array.from({ length: 101 }, () => layer) },
  ];
  for (const message of bad)
    assert.equal(parseWebviewMessage(message).ok, false, JSON.stringify(message).slice(0, 120));
});

test('Initialize Workspace: the proposal travels in the state and a malformed one drops the state', () => {
  const init = {
    status: 'ready',
    workspace: 'shop',
    layers: [
      {
        name: 'backend',
        owns: ['server/**'],
        after: [],
        commands: [{ command: 'npm run check', origin: 'package.json', status: 'passed', detail: 'passed in 1.0 s' }],
      },
    ],
    schema: ['db/**'],
    sourceFiles: 3,
    ownedFiles: 3,
    unowned: [],
    warnings: [],
    remainders: [],
    configExists: false,
  };
  assert.ok(parseHostMessage({ type: 'state', state: { ...emptyViewState(), init } }).ok);
  assert.equal(
    parseHostMessage({ type: 'state', state: { ...emptyViewState(), init: { ...init, status: 'weird' } } }).ok,
    false,
  );
});
