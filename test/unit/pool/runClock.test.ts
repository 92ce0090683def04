// A pooled run's timing line: the engine's model calls, validations and checkpoint read from its
// journal entries, the worker's own steps timed, and the line read back as the bench sums it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTimingLine, RunClock } from '../../../src/pool/runClock';

test('run clock: model calls, validation and checkpoint come from the journal; the rest of the engine is what remains; the line reads back', async () => {
  const clock = new RunClock();
  const at = (ms: number) => new Date(Date.UTC(2026, 10, 24, 8, 0, 0, ms)).toISOString();
  clock.see({ seq: 1, ts: at(0), type: 'llm.usage', ms: 2500 });
  clock.see({ seq: 2, ts: at(100), type: 'validation.started', layer: 'backend' });
  clock.see({ seq: 3, ts: at(150), type: 'validation.started', layer: 'backend' });
  clock.see({ seq: 4, ts: at(340), type: 'validation.passed', layer: 'backend' });
  clock.see({ seq: 5, ts: at(400), type: 'phase.completed', phase: 'CHECKPOINT', ms: 60 });
  clock.see({ seq: 6, ts: at(500), type: 'llm.usage', ms: 1500 });
  clock.add('engine', 5000);
  clock.add('pushes', 120);
  clock.add('pushes', 80);
  await assert.rejects(
    clock.time('fetch', async () => {
      throw new Error('remote away');
    }),
    /remote away/,
  );
  const line = clock.line('20261124-080000-a1b2');
  assert.match(
    line,
    /^run 20261124-080000-a1b2: timing: \d+ ms here: fetch \d+ ms, model calls 2× 4000 ms, validation 240 ms, checkpoint 60 ms, rest of the engine 700 ms; in the background: pushes 2× 200 ms$/,
  );
  const steps = parseTimingLine(`worker w: ${line}`)!;
  assert.deepEqual(
    [...steps.keys()],
    ['total', 'fetch', 'model calls', 'validation', 'checkpoint', 'rest of the engine', 'pushes'],
  );
  assert.deepEqual([steps.get('model calls'), steps.get('rest of the engine'), steps.get('pushes')], [4000, 700, 200]);
  assert.equal(parseTimingLine('worker w: run x ended'), undefined);
});
