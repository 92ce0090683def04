/** The event catalogue's entries: one per event type, its words and what it means to the run. */
import assert from 'node:assert/strict';
import test from 'node:test';
import { catalogue, meaningOf, wordsOf } from '../../../src/core/catalogue';
import type { EngineEvent } from '../../../src/core/events';
import { samples } from './eventSamples';

test('every event type has its catalogue entry, and reads in words', () => {
  assert.deepEqual(Object.keys(catalogue).sort(), Object.keys(samples).sort());
  for (const event of Object.values(samples) as EngineEvent[]) {
    const words = wordsOf(event);
    assert.ok(words.text.length > 0, event.type);
    assert.ok(!words.text.startsWith('event '), `${event.type} reads as its bare type`);
  }
});

test('every event type has its run-state entry: what it means to the run, read once for every fold', () => {
  for (const [type, entry] of Object.entries(catalogue)) assert.equal(typeof entry.state, 'function', type);
  for (const event of Object.values(samples) as EngineEvent[])
    assert.equal(typeof meaningOf(event), 'object', event.type);
  assert.deepEqual(meaningOf(samples['run.completed']), {
    completed: { status: 'completed', summary: { status: 'completed' } },
  });
  assert.equal(
    meaningOf({ type: 'run.completed', runId: 'r1', summary: { status: 'spec-saved' } }).completed?.status,
    'spec-saved',
  );
  assert.equal(
    meaningOf({ type: 'run.completed', runId: 'r1', summary: { status: 'mystery' } }).completed?.status,
    'completed',
  );
  assert.equal(meaningOf({ ...samples['run.stopped'], reason: 'cancelled' }).stopped?.cancelled, true);
  assert.equal(meaningOf(samples['agent.started']).agentStarted?.onLayer, true);
  assert.equal(meaningOf({ ...samples['agent.started'], mode: 'spec' }).agentStarted?.onLayer, false);
  assert.equal(
    meaningOf(samples['llm.usage']).usage?.provider,
    'anthropic',
    "journals from before providers were all Anthropic's",
  );
  assert.deepEqual(meaningOf(samples['file.written']).file, {
    agent: 'backend',
    path: 'a.ts',
    deleted: false,
    created: true,
  });
  assert.deepEqual(meaningOf(samples['log']), {}, 'a log line changes nothing of the run');
  assert.deepEqual(
    meaningOf({ type: 'from.the.future' } as unknown as EngineEvent),
    {},
    'a type this build does not know',
  );
  for (const type of ['constructor', 'toString', '__proto__']) {
    assert.deepEqual(
      meaningOf({ type } as unknown as EngineEvent),
      {},
      `${type}: a journal anyone could edit names no entry of the catalogue's prototype`,
    );
    assert.equal(wordsOf({ type } as unknown as EngineEvent).text, `event ${type}`);
  }
});
