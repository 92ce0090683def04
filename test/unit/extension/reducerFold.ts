/** The reducer's tests' fixtures: the view folded from actions, token usage, a layer's row, a run's summary, a run started. */
import type { RunSummary } from '../../../src/core/api';
import type { EngineEvent } from '../../../src/core/events';
import { emptyViewState, type ViewState } from '../../../src/shared/viewState';
import type { ViewAction } from '../../../src/extension/view/actions';
import { reduce } from '../../../src/extension/view/reducer';

export const fold = (actions: ViewAction[], from: ViewState = emptyViewState()): ViewState =>
  actions.reduce(reduce, from);
export const events = (...list: EngineEvent[]): ViewAction[] => list.map((event) => ({ type: 'engine', event }));
export const usage = (input: number, output: number) => ({ input, output, cacheRead: 0, cacheWrite: 0 });
export const agent = (s: ViewState, name: string) => s.run!.agents.find((a) => a.name === name)!;

export const summary = (over: Partial<RunSummary> = {}): RunSummary => ({
  runId: 'r1',
  status: 'completed',
  phases: [],
  usage: usage(100, 50),
  costUsd: 0.5,
  costByAgent: {},
  requests: 0,
  unpricedRequests: 0,
  byAgent: {},
  byProvider: {},
  filesChanged: ['server/a.ts'],
  retries: {},
  reviewRounds: 1,
  ...over,
});

export const started: ViewAction[] = [
  { type: 'run.begin', kind: 'feature', request: 'Add Supplier' },
  ...events(
    { type: 'run.started', runId: 'r1', kind: 'feature', request: 'Add Supplier' },
    { type: 'phase.started', phase: 'IMPLEMENT' },
    { type: 'wave.started', wave: 1, of: 2, layers: ['database', 'backend'] },
  ),
];
