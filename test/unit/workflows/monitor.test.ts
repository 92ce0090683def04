import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent } from '../../../src/core/events';
import { Budget } from '../../../src/core/llm/budget';
import type { RunContext } from '../../../src/core/pipeline/kernel/runContext';
import { Monitor } from '../../../src/core/pipeline/workflow/monitor';

/** Just what the Monitor reads of a run: its events so far, its budget, and where alerts go. */
function run(previous: EngineEvent[] = [], spentUsd = 0) {
  const emitted: EngineEvent[] = [];
  const ctx = {
    events: previous,
    budget: new Budget(5, spentUsd),
    emit: (event: EngineEvent) => void emitted.push(event),
  } as unknown as RunContext;
  const alerts = () => emitted.flatMap((event) => (event.type === 'monitor.alert' ? [event] : []));
  return { ctx, alerts, count: () => emitted.length };
}

test('monitor: repeated validation failures of one layer, a block open too long, the budget burning: one alert each, counted across a resume', () => {
  let now = 1_000_000;
  const failed = (layer: string): EngineEvent => ({
    type: 'validation.failed',
    layer,
    command: 'npm test',
    output: 'x',
    exitCode: 1,
  });
  // One failure of backend happened before the resume.
  const { ctx, alerts, count } = run([failed('backend')], 3.9);
  const monitor = new Monitor(ctx, { budgetBurn: 0.8, validationFailures: 2, blockOpenSec: 60 }, () => now);
  try {
    monitor.observe(failed('frontend'));
    assert.equal(count(), 0);
    monitor.observe(failed('backend'));
    monitor.observe(failed('backend'));
    assert.deepEqual(
      alerts().map((e) => [e.alert, e.subject]),
      [['validation.failures', 'backend']],
    );
    assert.match(
      alerts()[0]!.message,
      /backend failed validation 2 times \(monitor\.validationFailures: 2\); last: npm test/,
    );

    monitor.observe({ type: 'block.reported', block: 1, from: 'frontend', to: 'backend', request: 'an endpoint' });
    now += 59_000;
    monitor.observe({ type: 'log', level: 'info', message: 'tick' });
    assert.equal(count(), 1);
    now += 2_000;
    monitor.observe({ type: 'log', level: 'info', message: 'tick' });
    monitor.observe({ type: 'log', level: 'info', message: 'tick' });
    assert.deepEqual(
      alerts()
        .slice(1)
        .map((e) => [e.alert, e.subject]),
      [['block.open', 'block-1']],
    );
    assert.match(
      alerts()[1]!.message,
      /block 1 \(frontend needs backend\) open for 61 s, past monitor\.blockOpenSec \(60 s\)/,
    );

    ctx.budget.charge(0.2);
    monitor.observe({ type: 'log', level: 'info', message: 'tick' });
    monitor.observe({ type: 'log', level: 'info', message: 'tick' });
    assert.deepEqual(
      alerts()
        .slice(2)
        .map((e) => e.alert),
      ['budget.burn'],
    );
    assert.match(
      alerts()[2]!.message,
      /^82% of the budget spent \(\$4\.10 of \$5\), past monitor\.budgetBurn \(80%\)$/,
    );
  } finally {
    monitor.dispose();
  }
});
