/**
 * Derived facts the host shows outside the webview (status bar, progress notification,
 * context keys). Pure functions of the view model so they are tested with the reducer.
 */
import {
  auditMissedTarget,
  inSeconds,
  isSavedSpec,
  runSpendLabel,
  spendLabel,
  type ApiWaitView,
  type AuditView,
  type RunView,
  type ViewState,
} from '../../shared/viewState';

export { isSavedSpec };

/** "wave 1/2" for the latest wave that has started, if any. */
function waveText(run: RunView): string | undefined {
  const wave = run.waves.at(-1);
  return wave ? `wave ${wave.index}/${wave.of}` : undefined;
}

const phaseLabel = (run: RunView): string => (run.phase ?? 'STARTING').toUpperCase();

/** The workflow a run follows when it is not the plain `feature` (issue 29): `slice`. */
const workflowText = (run: RunView): string | undefined =>
  run.workflow && run.workflow.name !== 'feature' ? run.workflow.name : undefined;
const workflowTip = (run: RunView): string => (run.workflow ? ` · workflow ${run.workflow.name}` : '');

/** A workflow phase's human gate waiting for the human, whichever run asks. */
function gateView(state: ViewState): StatusView | undefined {
  const run = [state.run, ...(state.lanes ?? [])].find((r) => r?.live && r.workflow?.decision);
  const decision = run?.workflow?.decision;
  if (!run || !decision) return undefined;
  return {
    text: `$(bell) Orchestrator: phase ${decision.phase} awaiting approval`,
    tooltip: `${run.request}${workflowTip(run)}: phase ${decision.phase}'s gate waits for your decision in the sidebar`,
  };
}

export interface StatusView {
  text: string;
  tooltip: string;
}

/** `AUDIT 2/10 · 82/100`: the iteration under way of the cap, and the latest score. */
function auditText(audit: AuditView): string {
  const score = audit.scores.at(-1);
  return `AUDIT ${audit.iteration}/${audit.maxIterations} · ${score === undefined ? '…' : score}/100`;
}

/**
 * `$(sync~spin) IMPLEMENT · wave 1/2 · $0.12`, `$(sync~spin) AUDIT 2/10 · 82/100 · $1.20`, and the
 * idle/awaiting/done/stopped variants; while an agent waits out API weather,
 * `$(watch) waiting for the API: overloaded, retry in 8 s` (counted down from `now`).
 */
export function statusBarView(state: ViewState, now = Date.now()): StatusView {
  const asking = askingView(state);
  if (asking) return asking;
  const gate = gateView(state);
  if (gate) return gate;
  const lanes = lanesView(state);
  if (lanes) return lanes;
  const run = state.run;
  if (state.pendingDecision)
    return { text: '$(bell) Orchestrator: spec awaiting approval', tooltip: `Review ${state.pendingDecision.path}` };
  if (!run) return { text: '$(checklist) Orchestrator', tooltip: 'Orchestrator: idle' };
  const cost = runSpendLabel(run);
  const waiting = run.status === 'running' ? soonestWait(run, now) : undefined;
  if (waiting) {
    const { wait, leftMs } = waiting;
    const when = leftMs > 500 ? `retry in ${inSeconds(leftMs)}` : 'retrying';
    return {
      text: `$(watch) waiting for the API: ${wait.reason.replace(/ \(\d+\)$/, '')}, ${when}`,
      tooltip: `Orchestrator: ${wait.agent} is waiting out the API (${wait.reason}, attempt ${wait.attempt}); the run goes on by itself, up to ${inSeconds(wait.windowLeftMs)} more. Cancel stops it (resumable).`,
    };
  }
  if (run.elsewhere)
    return {
      text: `$(sync~spin) Orchestrator: running in another process · ${phaseLabel(run)}`,
      tooltip: `Orchestrator: ${run.request} · run ${run.runId ?? ''} by another process (orchestrator serve, or a CLI run); this window follows its journal`,
    };
  if (run.audit && run.status === 'running')
    return {
      text: `$(sync~spin) ${auditText(run.audit)} · ${cost}`,
      tooltip: `Orchestrator: ${run.request} · ${phaseLabel(run)}`,
    };
  if (run.audit && (run.status === 'completed' || run.status === 'stopped') && auditMissedTarget(run.audit)) {
    return {
      text: `$(warning) Orchestrator: target not reached · ${auditText(run.audit)} · ${cost}`,
      tooltip: `Audit ended below its target of ${run.audit.targetScore}/100: ${run.audit.reason}`,
    };
  }
  if (run.audit && run.status === 'completed') {
    return {
      text: `$(check) Orchestrator: ${auditText(run.audit)} · ${cost}`,
      tooltip: `Audit ${run.audit.reason === 'target' ? 'reached its target' : `ended: ${run.audit.reason ?? 'done'}`}`,
    };
  }
  switch (run.status) {
    case 'running':
    case 'awaiting-approval':
      return {
        text: [
          '$(sync~spin) ' + phaseLabel(run),
          workflowText(run),
          waveText(run),
          cost,
          run.sandboxOff ? '$(unlock) sandbox off' : '',
        ]
          .filter(Boolean)
          .join(' · '),
        tooltip: `Orchestrator: ${run.request}${workflowTip(run)}${run.sandboxOff ? ' · sandbox: off: agents and commands run unconfined' : ''}`,
      };
    case 'completed':
      return { text: `$(check) Orchestrator: done · ${cost}`, tooltip: `${run.filesChanged.length} files changed` };
    case 'spec-saved':
      return { text: `$(file) Orchestrator: spec saved · ${cost}`, tooltip: run.specPath ?? 'Spec saved for later' };
    case 'stopped':
      return {
        text: `$(error) Orchestrator: stopped · ${cost}`,
        tooltip: run.stop?.reason ?? run.error ?? 'Pipeline stopped',
      };
    case 'failed':
      return { text: `$(error) Orchestrator: failed`, tooltip: run.error ?? 'The run failed' };
    case 'cancelled':
      return { text: `$(circle-slash) Orchestrator: cancelled · ${cost}`, tooltip: 'The run was cancelled' };
    case 'interrupted':
      return {
        text: `$(debug-pause) Orchestrator: stopped · Resume`,
        tooltip:
          'The run stopped when its window closed; "Orchestrator: Resume Run" (or Resume in the sidebar) continues where it stopped',
      };
    case 'rolled-back':
      return { text: `$(discard) Orchestrator: rolled back`, tooltip: "The run's changes were rolled back" };
    case 'unchecked':
      return {
        text: `$(warning) Orchestrator: unchecked · ${cost}`,
        tooltip: `Nothing checked part of the change: ${uncheckedText(run)}. Add a check and resume, or resume allowing it unchecked`,
      };
  }
}

/** `backend: a.js, b.js; web: c.ts`: what no proof test and no validate command checked (issue 70). */
export function uncheckedText(run: Pick<RunView, 'unchecked'>): string {
  return (run.unchecked?.layers ?? []).map((l) => `${l.layer}: ${l.files.join(', ')}`).join('; ') || 'see the report';
}

/** A question the run waits on (a confirmation dialog): `$(bell) waiting for you: <question>`, whichever run asks. */
function askingView(state: ViewState): StatusView | undefined {
  const run = [state.run, ...(state.lanes ?? [])].find((r) => r?.live && r.asking);
  if (!run?.asking) return undefined;
  const { agent, question } = run.asking;
  const short = question.length > 60 ? `${question.slice(0, 59)}…` : question;
  return {
    text: `$(bell) Orchestrator: waiting for you: ${short}`,
    tooltip: `${agent} asks: ${question}\nAnswer in the dialog; the run waits until you do.`,
  };
}

/**
 * Several runs at once (runs in worktrees beside each other or beside the in-place run): the
 * status bar sums them, `$(sync~spin) 2 runs · $0.34`, and the tooltip lists each.
 */
function lanesView(state: ViewState): StatusView | undefined {
  const live = (state.lanes ?? []).filter((run) => run.live);
  if (live.length === 0 || state.pendingDecision) return undefined;
  const all = [...live, ...(state.run?.live ? [state.run] : [])];
  if (all.length === 1 && !state.run) {
    const only = all[0]!;
    return {
      text: ['$(sync~spin) ' + phaseLabel(only), workflowText(only), waveText(only), runSpendLabel(only)]
        .filter(Boolean)
        .join(' · '),
      tooltip: `Orchestrator: ${only.request} (in its own worktree)${workflowTip(only)}`,
    };
  }
  const costUsd = all.reduce((sum, run) => sum + run.costUsd, 0);
  const providers = all.flatMap((run) => Object.values(run.byProvider ?? {}));
  const requests = providers.reduce((n, p) => n + p.requests, 0);
  const unpricedRequests = providers.reduce((n, p) => n + p.unpricedRequests, 0);
  return {
    text: `$(sync~spin) ${all.length} runs · ${spendLabel({ costUsd, requests, unpricedRequests })}`,
    tooltip: all.map((run) => `${run.request}: ${phaseLabel(run)} · ${runSpendLabel(run)}`).join('\n'),
  };
}

/** The progress notification's message: phase, wave and which layers are busy (an audit: its iteration and score too). */
export function progressMessage(run: RunView): string {
  if (run.asking) return `waiting for you: ${run.asking.question}`;
  if (run.audit) return [auditText(run.audit), phaseLabel(run), runSpendLabel(run)].join(' · ');
  const busy = run.agents.filter((a) => a.state === 'running' || a.state === 'retry' || a.state === 'validating');
  const who = busy.map((a) =>
    a.state === 'retry' && a.retry ? `${a.name} retry ${a.retry.n}/${a.retry.max}` : `${a.name} ${a.state}`,
  );
  return [phaseLabel(run), waveText(run), who.join(', '), runSpendLabel(run)].filter(Boolean).join(' · ');
}

/** Context keys that drive the commands' `when` clauses. */
export interface ContextKeys {
  'orchestrator.running': boolean;
  'orchestrator.awaitingApproval': boolean;
  'orchestrator.hasSavedSpecs': boolean;
  'orchestrator.hasSpecs': boolean;
  'orchestrator.hasRun': boolean;
}

export function contextKeys(state: ViewState): ContextKeys {
  return {
    'orchestrator.running': state.busy || (state.lanes ?? []).some((run) => run.live),
    'orchestrator.awaitingApproval': state.pendingDecision !== undefined,
    'orchestrator.hasSavedSpecs': state.specs.some((s) => isSavedSpec(s.status)),
    'orchestrator.hasSpecs': state.specs.length > 0,
    'orchestrator.hasRun': state.runs.length > 0 || state.run?.runId !== undefined || (state.lanes ?? []).length > 0,
  };
}

/** The wait the status bar shows: the one that ends first. Seconds left counted from `now` when the event time is known. */
export function soonestWait(run: RunView | undefined, now: number): { wait: ApiWaitView; leftMs: number } | undefined {
  let best: { wait: ApiWaitView; leftMs: number } | undefined;
  for (const wait of run?.apiWaits ?? []) {
    const leftMs = wait.at !== undefined ? wait.at + wait.retryInMs - now : wait.retryInMs;
    if (!best || leftMs < best.leftMs) best = { wait, leftMs };
  }
  return best;
}
