// The editor's models (vscode-lm): a failed request in the engine's error kinds, so API weather
// waits out what passes and the run stops with what to do on the rest. The errors are shaped
// as VS Code delivers them to a consumer (name 'LanguageModelError' and a code, or 'Canceled').
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyLmFailure } from '../../../src/extension/lm/lmErrors';

const MODEL = 'vscode-lm:copilot/gpt-4o';

function lmError(code: string, message: string, cause?: Error): Error {
  const error = new Error(message, cause ? { cause } : undefined) as Error & { code: string };
  error.name = 'LanguageModelError';
  error.code = code;
  return error;
}

test('NoPermissions: not allowed, with where to allow it', () => {
  const failure = classifyLmFailure(
    lmError('NoPermissions', "Language model 'x' cannot be used by 'orchestrator-dev.spec-orchestrator'."),
    MODEL,
    false,
  );
  assert.equal(failure.kind, 'auth');
  assert.match(
    failure.message,
    /may not use the editor's model vscode-lm:copilot\/gpt-4o \(NoPermissions: Language model 'x' cannot be used/,
  );
  assert.match(failure.message, /Manage Language Model Access/);
});

test('NotFound: the model went away; choose another', () => {
  const failure = classifyLmFailure(lmError('NotFound', "Language model 'copilot/gpt-4o' is unknown."), MODEL, false);
  assert.equal(failure.kind, 'not-found');
  assert.match(
    failure.message,
    /is not available any more \(NotFound: Language model 'copilot\/gpt-4o' is unknown\.\)/,
  );
  assert.match(failure.message, /Use the Editor's Models/);
});

test('Blocked: a quota or plan limit stops the run (resumable); a rate limit is waited out', () => {
  const quota = classifyLmFailure(
    lmError('Blocked', 'You have exceeded your premium request allowance.'),
    MODEL,
    false,
  );
  assert.equal(quota.kind, 'spend-limit');
  assert.match(
    quota.message,
    /refused the request \(Blocked: You have exceeded your premium request allowance\.\): a quota or plan limit/,
  );
  assert.match(quota.message, /Resume the run/);
  const rate = classifyLmFailure(lmError('Blocked', 'Rate limit exceeded, try again in 30 seconds.'), MODEL, false);
  assert.equal(rate.kind, 'rate-limit');
});

test('other failures are read from their message and their cause', () => {
  const cases: [string, string][] = [
    ['Request failed: prompt is too long (token limit)', 'context-length'],
    ['Server responded with 429 Too Many Requests', 'rate-limit'],
    ['The model is overloaded', 'overloaded'],
    ['Server error: 503 Service Unavailable', 'server'],
    ['fetch failed', 'network'],
    ['The response was filtered by the content policy', 'bad-request'],
  ];
  for (const [message, kind] of cases)
    assert.equal(classifyLmFailure(new Error(message), MODEL, false).kind, kind, message);
  const caused = classifyLmFailure(lmError('Unknown', 'Request failed', new Error('read ECONNRESET')), MODEL, false);
  assert.equal(caused.kind, 'network');
  assert.match(caused.message, /Request failed: read ECONNRESET/);
  assert.equal(classifyLmFailure('a string thrown', MODEL, false).kind, 'bad-request');
});

test("cancellation: VS Code's Canceled error, or anything once the run's signal fired", () => {
  const canceled = new Error('Canceled');
  canceled.name = 'Canceled';
  assert.equal(classifyLmFailure(canceled, MODEL, false).kind, 'cancelled');
  assert.equal(classifyLmFailure(lmError('Blocked', 'quota'), MODEL, true).kind, 'cancelled');
});
