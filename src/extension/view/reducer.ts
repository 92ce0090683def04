/**
 * The sidebar's view model as a pure function of actions: (state, action) → state.
 * No VS Code, no clock, no I/O, so every transition is unit-tested in plain Node.
 * Returns the same object when nothing changed, so the store can skip redundant posts.
 */
import type { RunInfo, RunSummary } from '../../core/api';
import type { EngineEvent } from '../../core/events';
import type { AgentView, RunView, RunViewStatus, ViewState } from '../../shared/viewState';
import type { ViewAction } from './actions';
import { moveAgents } from './agents';
import { applyEngineEvent, newRun } from './runReducer';
import { withAttemptDiff } from './attemptsView';
import { defineWorkflow, gateAnswered, gateWaiting, settleSteps } from './workflowReducer';

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
    case 'changeSets': {
      if (action.sets.length) return { ...state, changeSets: action.sets };
      if (!state.changeSets) return state;
      const next = { ...state };
      delete next.changeSets;
      return next;
    }
    case 'pool': {
      if (action.pool) return { ...state, pool: action.pool };
      if (!state.pool) return state;
      const next = { ...state };
      delete next.pool;
      return next;
    }
    case 'runners':
      return { ...state, runners: action.runners };
    case 'init': {
      if (action.init) return { ...state, init: action.init };
      if (!state.init) return state;
      const next = { ...state };
      delete next.init;
      return next;
    }
    case 'specs':
      return {
        ...state,
        specs: action.specs.map(({ id, title, kind, status, path, created, unowned, mustard, foreign, source }) => ({
          id,
          title,
          kind,
          status,
          path,
          created,
          ...(unowned?.length ? { unowned } : {}),
          ...(mustard ? { mustard } : {}),
          ...(foreign ? { foreign } : {}),
          ...(source ? { source } : {}),
        })),
      };
    case 'runs':
      return {
        ...state,
        runs: [...action.runs]
          .sort((a, b) => b.started.localeCompare(a.started))
          .map(({ runId, kind, request, status, started, problem, worktree }) => ({
            runId,
            request,
            status,
            started,
            ...(kind ? { kind } : {}),
            ...(problem ? { problem } : {}),
            ...(worktree ? { worktree: { ...worktree } } : {}),
          })),
      };
    case 'select':
      return {
        ...state,
        selectedSpec: action.spec,
        ...(state.selectedTrace?.specId === action.spec?.id ? {} : { selectedTrace: undefined }),
        ...(state.selectedDrift?.specId === action.spec?.id ? {} : { selectedDrift: undefined }),
      };
    case 'run.begin': {
      let run = newRun(action.kind, action.request, true);
      for (const event of action.history ?? []) run = applyEngineEvent(run, event);
      // A resumed run's old terminal state (stopped, cancelled) is history now.
      return { ...state, busy: true, run: { ...run, status: 'running', stop: undefined, error: undefined } };
    }
    case 'lane.begin': {
      let run: RunView = { ...newRun(action.kind, action.request, true), lane: action.lane };
      for (const event of action.history ?? []) run = applyEngineEvent(run, event);
      return {
        ...state,
        lanes: [...(state.lanes ?? []), { ...run, status: 'running', stop: undefined, error: undefined }],
      };
    }
    case 'lane.end':
      return withLane(state, action.lane, (run) => endRun(run, action));
    case 'lane.close': {
      const lanes = (state.lanes ?? []).filter((run) => run.runId !== action.runId || run.live);
      return lanes.length === (state.lanes ?? []).length ? state : { ...state, lanes };
    }
    case 'engine': {
      if (action.lane !== undefined) return withLane(state, action.lane, (run) => applyEngineEvent(run, action.event));
      // Events with no run in view (should not happen) still get a row to land in.
      const run = state.run ?? newRun('feature', '', true);
      const updated = applyEngineEvent(run, action.event);
      return updated === run ? state : { ...state, run: updated };
    }
    case 'run.end':
      return { ...state, busy: false, pendingDecision: undefined, run: state.run && endRun(state.run, action) };
    case 'decision.pending': {
      const waiting = (run: RunView): RunView =>
        gateWaiting(
          {
            ...run,
            status: 'awaiting-approval',
            specId: action.spec.id,
            ...(action.gate ? {} : { specPath: action.spec.path }),
          },
          action.gate,
        );
      // A phase's gate is decided on its step; the spec's in the spec's detail, as before workflows.
      const spec = action.gate ? {} : { pendingDecision: action.spec, selectedSpec: action.spec };
      if (action.lane !== undefined) return { ...withLane(state, action.lane, waiting), ...spec };
      return { ...state, ...spec, run: state.run && waiting(state.run) };
    }
    case 'decision.resolved': {
      const resumed = (run: RunView): RunView =>
        gateAnswered(run.status === 'awaiting-approval' ? { ...run, status: 'running' } : run);
      if (action.lane !== undefined) return { ...withLane(state, action.lane, resumed), pendingDecision: undefined };
      return { ...state, pendingDecision: undefined, run: state.run && resumed(state.run) };
    }
    case 'workflow.defined':
      return withRun(state, action.runId, (run) => defineWorkflow(run, action.definition));
    case 'confirmation': {
      const ask = (run: RunView): RunView => {
        if (action.asking) return { ...run, asking: action.asking };
        if (!run.asking) return run;
        const { asking: _answered, ...rest } = run;
        return rest;
      };
      if (action.lane !== undefined) return withLane(state, action.lane, ask);
      const run = state.run && ask(state.run);
      return run === state.run ? state : { ...state, run };
    }
    case 'audit.report': {
      const audit = state.run?.audit;
      if (!audit || audit.reportPath !== action.path || audit.report === action.markdown) return state;
      return { ...state, run: { ...state.run!, audit: { ...audit, report: action.markdown } } };
    }
    case 'run.restored':
      // Never replace what this window is running or has just shown.
      if (state.busy || state.run) return state;
      return { ...state, run: restoredRun(action.info, action.events) };
    case 'run.followed':
      // Only the run this window follows, as long as it shows it.
      if (state.busy || !state.run?.elsewhere || state.run.runId !== action.info.runId) return state;
      return { ...state, run: restoredRun(action.info, action.events) };
    case 'run.pooled': {
      // Asked for (the Pool section's Journal): over any run shown, never one this window runs; read again only while it is still the one shown.
      if (state.busy) return state;
      if (action.follow && (!state.run?.pooled || state.run.runId !== action.info.runId)) return state;
      const shown = restoredRun(action.info, action.events);
      // Not this window's to resume: a pooled run that ended without a word in its journal stopped in the pool.
      return {
        ...state,
        run: { ...shown, pooled: true, ...(shown.status === 'interrupted' ? { status: 'stopped' as const } : {}) },
      };
    }
    case 'attempt.diff':
      return withRun(state, action.runId, (run) => withAttemptDiff(run, action.diff));
    case 'trace':
      return state.selectedSpec?.id === action.trace.specId ? { ...state, selectedTrace: action.trace } : state;
    case 'drift':
      return state.selectedSpec?.id === action.drift.specId ? { ...state, selectedDrift: action.drift } : state;
    default:
      return state;
  }
}

/**
 * A run rebuilt from its journal. Unfinished, it is either another live process's (its lock's holder
 * lives, so listRuns says `running`: `serve` runs it from a GitHub issue, or a CLI run): shown as it
 * goes, followed, with no Resume; or nobody's: interrupted, nothing of it at work, Resume continues it.
 */
function restoredRun(info: RunInfo, events: readonly EngineEvent[]): RunView {
  let run = newRun(info.kind ?? 'feature', info.request, false);
  for (const event of events) run = applyEngineEvent(run, event);
  const unfinished = run.status === 'running' || run.status === 'awaiting-approval';
  if (unfinished && info.status === 'running') return { ...run, runId: info.runId, elsewhere: true };
  // A layer the journal left running (or cancelled as its window closed) stopped.
  const stopped = run.status === 'completed' ? run : { ...run, agents: run.agents.map(stoppedWithWindow) };
  return settleSteps({ ...stopped, runId: info.runId, status: unfinished ? 'interrupted' : run.status });
}

/** A layer of a restored run that was at work: stopped (its cancellation by the closing window is no news). */
function stoppedWithWindow(agent: AgentView): AgentView {
  if (!['running', 'retry', 'validating', 'cancelled'].includes(agent.state)) return agent;
  const { outcome, summary, ...rest } = agent;
  return {
    ...rest,
    state: 'stopped',
    ...(outcome === 'cancelled' ? {} : { ...(outcome ? { outcome } : {}), ...(summary ? { summary } : {}) }),
  };
}

/** The state with the run of this id changed, the in-place one or a lane (the same state when none is shown or nothing changed). */
function withRun(state: ViewState, runId: string, change: (run: RunView) => RunView): ViewState {
  const apply = (run: RunView): RunView => (run.runId === runId ? change(run) : run);
  const run = state.run && apply(state.run);
  const lanes = state.lanes?.map(apply);
  const changed = run !== state.run || lanes?.some((lane, i) => lane !== state.lanes?.[i]);
  return changed ? { ...state, run, ...(lanes ? { lanes } : {}) } : state;
}

/** The state with one lane changed (the same state when there is no such lane or nothing changed). */
function withLane(state: ViewState, lane: string, change: (run: RunView) => RunView): ViewState {
  const lanes = state.lanes ?? [];
  const at = lanes.findIndex((run) => run.lane === lane);
  if (at === -1) return state;
  const updated = change(lanes[at]!);
  return updated === lanes[at] ? state : { ...state, lanes: lanes.map((run, i) => (i === at ? updated : run)) };
}

const fromSummary: Record<RunSummary['status'], RunViewStatus> = {
  completed: 'completed',
  'spec-saved': 'spec-saved',
  stopped: 'stopped',
  cancelled: 'cancelled',
  unchecked: 'unchecked',
};

function endRun(
  run: RunView,
  action: Pick<Extract<ViewAction, { type: 'run.end' }>, 'summary' | 'error' | 'cancelled'>,
): RunView {
  const { asking: _unanswered, ...rest } = settleSteps(run);
  const live = { ...rest, live: false };
  if (action.cancelled)
    return moveAgents({ ...live, status: 'cancelled' }, ['running', 'retry', 'validating'], 'cancelled');
  if (action.error !== undefined)
    return moveAgents(
      { ...live, status: 'failed', error: action.error },
      ['running', 'retry', 'validating'],
      'cancelled',
    );
  const summary = action.summary;
  if (!summary)
    return {
      ...live,
      status: live.status === 'running' || live.status === 'awaiting-approval' ? 'completed' : live.status,
    };
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
    ...(summary.worktree
      ? {
          worktree: {
            path: summary.worktree,
            outcome: 'pending' as const,
            ...(live.worktree?.workspace && live.worktree.path === summary.worktree
              ? { workspace: live.worktree.workspace }
              : {}),
          },
        }
      : {}),
  };
  if (status === 'stopped' && !ended.stop && summary.report)
    ended = { ...ended, stop: { reason: summary.error ?? 'stopped', report: summary.report } };
  return status === 'completed'
    ? moveAgents(ended, ['validating', 'running'], 'passed')
    : moveAgents(ended, ['running', 'retry', 'validating'], 'cancelled');
}
