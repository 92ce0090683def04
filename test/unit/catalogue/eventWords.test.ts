/** The catalogue's words as the CLI and the VS Code log print them: the same words, the chatty ones, one line each. */
import assert from 'node:assert/strict';
import test from 'node:test';
import { describeEvent } from '../../../src/cli/cliHost';
import type { EngineEvent } from '../../../src/core/events';
import { formatEvent } from '../../../src/extension/log/formatEvent';
import { samples } from './eventSamples';

test('the CLI and the VS Code log say the same words; the log adds the detail, the CLI indents', () => {
  assert.equal(describeEvent(samples['validation.failed']), '  ✗ backend: npm test (exit 1)');
  assert.deepEqual(formatEvent(samples['validation.failed']), {
    level: 'warn',
    text: '✗ backend: npm test (exit 1)\n1 failing',
  });
  assert.equal(describeEvent(samples['run.stopped']), '■ stopped: validation failed');
  assert.deepEqual(formatEvent(samples['run.stopped']), {
    level: 'error',
    text: '■ stopped: validation failed\nthe report',
  });
  assert.equal(describeEvent(samples['file.written']), '    + a.ts');
  assert.equal(
    describeEvent({
      type: 'audit.tested',
      iteration: 1,
      runs: [
        { command: 'a', exitCode: 0, ms: 1 },
        { command: 'b', exitCode: 1, ms: 1 },
      ],
    }),
    '  ✓ a\n  ✗ b',
  );
});

test('the chatty events stay out of the CLI progress and in the log', () => {
  // A project command's time (issue 58): the log's, with the criteria its proof command ran for.
  assert.deepEqual(formatEvent(samples['command.ran']), {
    level: 'trace',
    text: 'backend: proof npx jest --verbose test/acceptance/tags.test.js: exit 1 in 840 ms\nREQ-1.1',
  });
  for (const event of [
    samples['command.ran'],
    samples['llm.usage'],
    // A matrix whose line says what the last one said (issue 71: the demo said `trace: 3 criteria` three times).
    { ...samples['trace.updated'], repeated: true } as const,
    samples['run.completed'],
    { ...samples['tool.called'], runner: undefined },
    { type: 'log', level: 'info', message: 'hi' } as const,
  ]) {
    assert.equal(describeEvent(event), undefined, event.type);
    assert.ok(formatEvent(event).text.length > 0, event.type);
  }
  assert.equal(describeEvent({ type: 'log', level: 'error', message: 'boom' }), 'error: boom');
  assert.equal(describeEvent(samples['trace.updated']), '  trace: 0 criteria');
  assert.equal(
    describeEvent({ type: 'proof.strengthRefused', round: 2, tests: [], stalled: 'repeated the same call' }),
    '  ✗ strength round 2: no test added: the proof agent repeated the same call',
  );
});

test('fields that must stay on one line cannot forge another line', () => {
  const line = describeEvent({
    type: 'sandbox.denied',
    agent: 'backend',
    kind: 'read',
    target: 'x\n  ✓ backend validated',
  });
  assert.equal(line, '  ⛔ backend: the sandbox refused read x\\n  ✓ backend validated');
});

test('an event type this build does not know, or an entry its words cannot read, reads as its type in the log and stays out of the CLI', () => {
  const unknown = { type: 'from.the.future' } as unknown as EngineEvent;
  assert.deepEqual(formatEvent(unknown), { level: 'trace', text: 'event from.the.future' });
  assert.equal(describeEvent(unknown), undefined);
  const unreadable = { type: 'run.started', runId: 'r1' } as unknown as EngineEvent;
  assert.deepEqual(
    formatEvent(unreadable),
    { level: 'trace', text: 'event run.started' },
    'an entry missing a field its words read',
  );
});
