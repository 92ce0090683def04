// Issue 36 in the editor's view: a run with `sandbox: off` says so in the status bar; a refusal
// inside the sandbox shows in the lane of the layer it came from and in the log; the state
// stays valid for the webview's protocol.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent } from '../../../src/core/events';
import { emptyViewState, viewStateSchema, type ViewState } from '../../../src/shared/viewState';
import type { ViewAction } from '../../../src/extension/view/actions';
import { reduce } from '../../../src/extension/view/reducer';
import { statusBarView } from '../../../src/extension/view/selectors';

const fold = (actions: ViewAction[], from: ViewState = emptyViewState()): ViewState => actions.reduce(reduce, from);
const events = (...list: EngineEvent[]): ViewAction[] => list.map((event) => ({ type: 'engine', event }));
const begin = (sandbox?: 'off'): ViewAction[] => [
  { type: 'run.begin', kind: 'feature', request: 'Add Supplier' },
  ...events(
    { type: 'run.started', runId: 'r1', kind: 'feature', request: 'Add Supplier', ...(sandbox ? { sandbox } : {}) },
    { type: 'phase.started', phase: 'IMPLEMENT' },
    { type: 'wave.started', wave: 1, of: 1, layers: ['backend'] },
    { type: 'agent.started', agent: 'backend', attempt: 1, mode: 'implement' },
  ),
];

test('sandbox: off shows in the status bar and its tooltip; a confined run says nothing of it', () => {
  const off = statusBarView(fold(begin('off')));
  assert.match(off.text, /\$\(unlock\) sandbox off/);
  assert.match(off.tooltip, /unconfined/);
  const on = statusBarView(fold(begin()));
  assert.doesNotMatch(on.text, /sandbox/);
});

test("a sandbox refusal shows in its layer's lane (the last five) and in the log", () => {
  const denials: EngineEvent[] = Array.from({ length: 6 }, (_, i) => ({
    type: 'sandbox.denied',
    command: 'npm test',
    layer: 'backend',
    kind: 'net',
    target: `127.0.0.1:${5000 + i}`,
  }));
  const state = fold([
    ...begin(),
    ...events(
      {
        type: 'sandbox.denied',
        command: 'npm test',
        layer: 'backend',
        kind: 'write',
        target: '/w/.git/hooks/pre-commit',
      },
      ...denials,
    ),
  ]);
  const backend = state.run!.agents.find((a) => a.name === 'backend')!;
  assert.deepEqual(backend.denied, [
    'net 127.0.0.1:5001',
    'net 127.0.0.1:5002',
    'net 127.0.0.1:5003',
    'net 127.0.0.1:5004',
    'net 127.0.0.1:5005',
  ]);
  assert.ok(
    state.run!.activity.some(
      (line) =>
        line.level === 'warn' &&
        line.text === 'backend: the sandbox refused write /w/.git/hooks/pre-commit (`npm test`)',
    ),
  );
  assert.equal(viewStateSchema.safeParse(state).success, true);
});
