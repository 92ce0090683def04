// The model layer in the sidebar's view model and the status bar: API waits (counted down),
// recoveries and compactions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent } from '../../../src/core/events';
import type { ViewAction } from '../../../src/extension/view/actions';
import { reduce } from '../../../src/extension/view/reducer';
import { statusBarView } from '../../../src/extension/view/selectors';
import { emptyViewState, viewStateSchema, type ViewState } from '../../../src/shared/viewState';

const fold = (actions: ViewAction[], from: ViewState = emptyViewState()): ViewState => actions.reduce(reduce, from);
const engine = (...events: (EngineEvent & { ts?: string })[]): ViewAction[] =>
  events.map((event) => ({ type: 'engine', event }));
const T0 = Date.parse('2026-11-21T10:00:00.000Z');
const waiting = (agent: string, retryInMs: number, attempt = 1) =>
  ({
    type: 'llm.waiting',
    agent,
    model: 'claude-sonnet-5-5',
    kind: 'overloaded',
    reason: 'overloaded (529)',
    attempt,
    retryInMs,
    windowLeftMs: 590_000,
    ts: new Date(T0).toISOString(),
  }) as const;

const running = fold([
  { type: 'run.begin', kind: 'feature', request: 'Add Product' },
  ...engine(
    { type: 'phase.started', phase: 'IMPLEMENT' },
    { type: 'wave.started', wave: 1, of: 2, layers: ['database', 'backend'] },
  ),
]);

test('a wait shows in the status bar, counted down, and in the activity; recovery clears it', () => {
  const s = fold(engine(waiting('backend', 8000)), running);
  assert.ok(viewStateSchema.safeParse(s).success);
  assert.deepEqual(
    s.run!.apiWaits!.map((w) => [w.agent, w.reason, w.retryInMs, w.at]),
    [['backend', 'overloaded (529)', 8000, T0]],
  );
  assert.equal(statusBarView(s, T0).text, '$(watch) waiting for the API: overloaded, retry in 8 s');
  assert.equal(statusBarView(s, T0 + 5000).text, '$(watch) waiting for the API: overloaded, retry in 3 s');
  assert.equal(statusBarView(s, T0 + 9000).text, '$(watch) waiting for the API: overloaded, retrying');
  assert.match(statusBarView(s, T0).tooltip, /backend is waiting out the API .*Cancel stops it \(resumable\)/);
  assert.match(s.run!.activity.at(-1)!.text, /^backend: waiting for the API: overloaded \(529\), retry 1 in 8 s$/);

  const recovered = fold(
    engine({ type: 'llm.recovered', agent: 'backend', model: 'm', attempts: 2, waitedMs: 8100 }),
    s,
  );
  assert.equal(recovered.run!.apiWaits, undefined);
  assert.match(statusBarView(recovered).text, /^\$\(sync~spin\) IMPLEMENT · wave 1\/2/);
  assert.match(recovered.run!.activity.at(-1)!.text, /answered again \(after 1 failed try\)/);
});

test('several agents waiting: the status bar shows the soonest; an agent ending or the run stopping clears waits', () => {
  const s = fold(engine(waiting('backend', 30_000), waiting('database', 4000), waiting('backend', 12_000, 2)), running);
  assert.deepEqual(
    s.run!.apiWaits!.map((w) => [w.agent, w.attempt]),
    [
      ['database', 1],
      ['backend', 2],
    ],
  );
  assert.match(statusBarView(s, T0).text, /retry in 4 s$/);
  const oneLeft = fold(engine({ type: 'agent.completed', agent: 'database', attempt: 1, outcome: 'cancelled' }), s);
  assert.deepEqual(
    oneLeft.run!.apiWaits!.map((w) => w.agent),
    ['backend'],
  );
  const stopped = fold(
    engine({ type: 'run.stopped', runId: 'r', reason: 'api', report: '## Pipeline stopped: the API is unavailable' }),
    oneLeft,
  );
  assert.equal(stopped.run!.apiWaits, undefined);
  assert.match(statusBarView(stopped).text, /stopped/);
});

test('a compaction is a line in the activity', () => {
  const s = fold(
    engine({
      type: 'llm.compacted',
      agent: 'backend',
      model: 'm',
      reason: 'window',
      stubbed: 6,
      tokensBefore: 150_000,
      tokensAfter: 60_000,
    }),
    running,
  );
  assert.match(
    s.run!.activity.at(-1)!.text,
    /^backend: older tool results compacted to fit the context window \(~150,000 → ~60,000 tokens\)$/,
  );
});
