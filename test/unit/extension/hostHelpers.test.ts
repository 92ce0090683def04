import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { isAuthFailure, looksLikeAuthError } from '../../../src/extension/host/authError';
import { formatEvent } from '../../../src/extension/log/formatEvent';
import { redact } from '../../../src/extension/log/redact';
import { insideWorkspace, specFilePath } from '../../../src/extension/specs/specFiles';
import { parseJournal } from '../../../src/extension/view/journal';
import { reduce } from '../../../src/extension/view/reducer';
import { contextKeys, progressMessage, statusBarView } from '../../../src/extension/view/selectors';
import { emptyViewState, type ViewState } from '../../../src/shared/viewState';
import type { ViewAction } from '../../../src/extension/view/actions';

const fold = (actions: ViewAction[]): ViewState => actions.reduce(reduce, emptyViewState());

test('status bar: idle, running with phase · wave · cost, awaiting approval, done, stopped', () => {
  assert.equal(statusBarView(emptyViewState()).text, '$(checklist) Orchestrator');
  const running = fold([
    { type: 'run.begin', kind: 'feature', request: 'x' },
    { type: 'engine', event: { type: 'phase.started', phase: 'implement' } },
    { type: 'engine', event: { type: 'wave.started', wave: 1, of: 2, layers: ['backend'] } },
    {
      type: 'engine',
      event: {
        type: 'llm.usage',
        agent: 'backend',
        model: 'm',
        usage: { input: 1, output: 1, cacheRead: 0, cacheWrite: 0 },
        costUsd: 0.123,
        ms: 1,
      },
    },
  ]);
  assert.equal(statusBarView(running).text, '$(sync~spin) IMPLEMENT · wave 1/2 · $0.12');
  const awaiting = reduce(running, { type: 'decision.pending', spec: { id: 's', path: 'p', markdown: '' } });
  assert.match(statusBarView(awaiting).text, /awaiting approval/);
  const done = reduce(running, { type: 'run.end' });
  assert.match(statusBarView(done).text, /^\$\(check\) .*done · \$0\.12$/);
  const stopped = fold([
    { type: 'run.begin', kind: 'feature', request: 'x' },
    { type: 'engine', event: { type: 'run.stopped', runId: 'r', reason: 'budget', report: '' } },
  ]);
  assert.match(statusBarView(stopped).text, /stopped/);
});

test('progress message names busy layers with their retry count', () => {
  const s = fold([
    { type: 'run.begin', kind: 'feature', request: 'x' },
    { type: 'engine', event: { type: 'phase.started', phase: 'IMPLEMENT' } },
    { type: 'engine', event: { type: 'wave.started', wave: 1, of: 1, layers: ['backend', 'database'] } },
    { type: 'engine', event: { type: 'retry', layer: 'backend', attempt: 1, max: 2 } },
    { type: 'engine', event: { type: 'validation.started', layer: 'database', command: 'x' } },
  ]);
  assert.equal(progressMessage(s.run!), 'IMPLEMENT · wave 1/1 · backend retry 1/2, database validating · $0.00');
});

test('context keys follow the view model', () => {
  const keys = contextKeys(
    fold([
      { type: 'specs', specs: [{ id: 'a', title: 'A', kind: 'feature', status: 'completed', path: 'p', created: '' }] },
      { type: 'run.begin', kind: 'feature', request: 'x' },
    ]),
  );
  assert.deepEqual(keys, {
    'orchestrator.running': true,
    'orchestrator.awaitingApproval': false,
    'orchestrator.hasSavedSpecs': false,
    'orchestrator.hasSpecs': true,
    'orchestrator.hasRun': false,
  });
  const saved = contextKeys(
    fold([
      { type: 'specs', specs: [{ id: 'a', title: 'A', kind: 'feature', status: 'active', path: 'p', created: '' }] },
    ]),
  );
  assert.equal(saved['orchestrator.hasSavedSpecs'], true);
});

test('auth errors are recognised; other errors are not', () => {
  assert.ok(
    looksLikeAuthError('401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}'),
  );
  assert.ok(
    looksLikeAuthError('Could not resolve authentication method. Expected either apiKey or authToken to be set.'),
  );
  assert.ok(!looksLikeAuthError('validation failed: npm run build exited 2'));
  assert.ok(!looksLikeAuthError(undefined));
  assert.ok(
    looksLikeAuthError(
      'spec failed: 401 authentication_error: invalid x-api-key. Check the API key (ANTHROPIC_API_KEY) and its permissions.',
    ),
  );
  assert.ok(
    !looksLikeAuthError('backend is blocked: the Stripe API key is not configured in the spec'),
    'other "API key" talk is not an auth failure',
  );
  assert.ok(isAuthFailure(Object.assign(new Error('whatever'), { kind: 'auth' })));
  assert.ok(!isAuthFailure(new Error('ENOENT')));
});

test('redact masks keys and auth headers', () => {
  const key = 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz';
  assert.ok(!redact(`failed with ${key}`).includes('abcdefgh'));
  assert.equal(redact('"x-api-key": "secret123456"'), '"x-api-key": "***"');
  assert.equal(redact('Authorization: Bearer abcdefghijk'), 'Authorization: Bearer ***');
  assert.equal(redact('my-custom-secret-value here', ['my-custom-secret-value']), '*** here');
});

test('formatEvent logs tool calls without their content', () => {
  const line = formatEvent({
    type: 'tool.called',
    agent: 'backend',
    tool: 'write_file',
    input: { path: 'a.ts', content: 'SECRET CONTENT' },
    isError: false,
    result: 'ok',
  });
  assert.equal(line.level, 'trace');
  assert.ok(!line.text.includes('SECRET CONTENT'));
  assert.equal(
    formatEvent({ type: 'validation.failed', layer: 'b', command: 'c', output: 'o', exitCode: 1 }).level,
    'warn',
  );
});

test('journal parsing skips torn and untyped lines', () => {
  const text = [
    '{"type":"run.started","runId":"r","kind":"feature","request":"x","ts":"t","seq":1}',
    '{"no":"type"}',
    '',
    '{"type":"phase.start',
  ].join('\n');
  assert.deepEqual(
    parseJournal(text).map((e) => e.type),
    ['run.started'],
  );
});

test('spec paths resolve to spec.md and review paths stay inside the workspace', () => {
  const ws = path.resolve('/ws');
  assert.equal(specFilePath(ws, 'spec/active/x'), path.join(ws, 'spec/active/x/spec.md'));
  assert.equal(specFilePath(ws, path.join(ws, 'spec/active/x/spec.md')), path.join(ws, 'spec/active/x/spec.md'));
  assert.equal(insideWorkspace(ws, 'server/a.ts'), path.join(ws, 'server/a.ts'));
  assert.equal(insideWorkspace(ws, '../etc/passwd'), undefined);
  assert.equal(insideWorkspace(ws, '/etc/passwd'), undefined);
});
