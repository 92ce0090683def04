/**
 * The sidebar's view model as a pure function of actions: (state, action) → state.
 * No VS Code, no clock, no I/O, so every transition is unit-tested in plain Node.
 * Returns the same object when nothing changed, so the store can skip redundant posts.
 */
import type { RunSummary } from '../../core/api';
import type { RunView, RunViewStatus, ViewState } from '../../shared/viewState';
import type { ViewAction } from './actions';
import { moveAgents } from './agents';
import { applyEngineEvent, newRun } from './runReducer';

export function reduce(state: ViewState, action: ViewAction): ViewState {
  const next = apply(state, action);
  return next === state ? state : { ...next, version: state.version + 1 };
}

function apply(state: ViewState, action: ViewAction): ViewState {
  switch (action.type) {
    case 'workspace':
      return { ...state, hasWorkspace: action.name !== undefined, workspaceName: action.name };
    case 'trust':
      return state.trusted === action.trusted ? state : { ...state, trusted: action.trusted };
    case 'queue':
      return { ...state, queue: action.queue };
    case 'specs':
      return {
        ...state,
        specs: action.specs.map(({ id, title, kind, status, path, created, unowned, mustard }) => ({ id, title, kind, status, path, created, ...(unowned?.length ? { unowned } : {}), ...(mustard ? { mustard } : {}) })),
      };
    case 'runs':
      return {
        ...state,
        runs: [...action.runs]
          .sort((a, b) => b.started.localeCompare(a.started))
          .map(({ runId, kind, request, status, started, problem }) => ({ runId, request, status, started, ...(kind ? { kind } : {}), ...(problem ? { problem } : {}) })),
      };
    case 'select':
      return { ...state, selectedSpec: action.spec, ...(state.selectedTrace?.specId === action.spec?.id ? {} : { selectedTrace: undefined }) };
    case 'run.begin': {
      let run = newRun(action.kind, action.request, true);
      for (const event of action.history ?? []) run = applyEngineEvent(run, event);
      // A resumed run's old terminal state (stopped, cancelled) is history now.
      return { ...state, busy: true, run: { ...run, status: 'running', stop: undefined, error: undefined } };
    }
    case 'engine': {
      // Events with no run in view (should not happen) still get a row to land in.
      const run = state.run ?? newRun('feature', '', true);
      const updated = applyEngineEvent(run, action.event);
      return updated === run ? state : { ...state, run: updated };
    }
    case 'run.end':
      return { ...state, busy: false, pendingDecision: undefined, run: state.run && endRun(state.run, action) };
    case 'decision.pending':
      return {
        ...state,
        pendingDecision: action.spec,
        selectedSpec: action.spec,
        run: state.run && { ...state.run, status: 'awaiting-approval', specId: action.spec.id, specPath: action.spec.path },
      };
    case 'decision.resolved':
      return {
        ...state,
        pendingDecision: undefined,
        run: state.run && state.run.status === 'awaiting-approval' ? { ...state.run, status: 'running' } : state.run,
      };
    case 'audit.report': {
      const audit = state.run?.audit;
      if (!audit || audit.reportPath !== action.path || audit.report === action.markdown) return state;
      return { ...state, run: { ...state.run!, audit: { ...audit, report: action.markdown } } };
    }
    case 'run.restored': {
      // Never replace what this window is running or has just shown.
      if (state.busy || state.run) return state;
      let run = newRun(action.info.kind ?? 'feature', action.info.request, false);
      for (const event of action.events) run = applyEngineEvent(run, event);
      const unfinished = run.status === 'running' || run.status === 'awaiting-approval';
      return { ...state, run: { ...run, runId: action.info.runId, status: unfinished ? 'interrupted' : run.status } };
    }
    case 'trace':
      return state.selectedSpec?.id === action.trace.specId ? { ...state, selectedTrace: action.trace } : state;
    default:
      return state;
  }
}

const fromSummary: Record<RunSummary['status'], RunViewStatus> = {
  completed: 'completed',
  'spec-saved': 'spec-saved',
  stopped: 'stopped',
  cancelled: 'cancelled',
};

function endRun(run: RunView, action: Extract<ViewAction, { type: 'run.end' }>): RunView {
  const live = { ...run, live: false };
  if (action.cancelled) return moveAgents({ ...live, status: 'cancelled' }, ['running', 'retry', 'validating'], 'cancelled');
  if (action.error !== undefined) return moveAgents({ ...live, status: 'failed', error: action.error }, ['running', 'retry', 'validating'], 'cancelled');
  const summary = action.summary;
  if (!summary) return { ...live, status: live.status === 'running' || live.status === 'awaiting-approval' ? 'completed' : live.status };
  const status = fromSummary[summary.status] ?? 'completed';
  let ended: RunView = {
    ...live,
    status,
    runId: summary.runId || live.runId,
    specPath: summary.specPath ?? live.specPath,
    // The summary is the engine's final account: prefer it over the running sums.
    usage: { ...summary.usage },
    costUsd: summary.costUsd,
    filesChanged: summary.filesChanged.length > 0 ? [...summary.filesChanged] : live.filesChanged,
    error: summary.error ?? live.error,
    ...(live.audit && summary.audit ? { audit: { ...live.audit, costByRole: { ...summary.audit.costByRole } } } : {}),
  };
  if (status === 'stopped' && !ended.stop && summary.report) ended = { ...ended, stop: { reason: summary.error ?? 'stopped', report: summary.report } };
  return status === 'completed'
    ? moveAgents(ended, ['validating', 'running'], 'passed')
    : moveAgents(ended, ['running', 'retry', 'validating'], 'cancelled');
}
