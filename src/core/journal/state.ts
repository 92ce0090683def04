import type { PhaseTiming, RunInfo, RunStatus } from './runInfo';
import type { AgentMode, AgentOutcome, AppliedFile, EngineEvent, ReviewIssue, RunKind } from '../events';
import { addUsage, emptyUsage, type Usage } from '../usage';
import { FileTracker, type TouchedFiles } from './touchedFiles';

export type { TouchedFiles } from './touchedFiles';

/** A journaled event, or a bare one (tests, in-memory runs): `ts`/`seq` are optional here. */
export type StateEvent = EngineEvent & { ts?: string; seq?: number };

export interface LayerState {
  /** Agent runs for this layer (first attempt, validation retries, review fixes). */
  attempts: number;
  lastOutcome?: AgentOutcome;
  /** An agent for this layer started and has not finished yet. */
  agentRunning: boolean;
  /** The latest agent run for the layer ended with its final report. */
  implemented: boolean;
  /** The orchestrator's validation passed after that implementation. */
  validated: boolean;
  /** implemented && validated: resume must not run this layer again. */
  done: boolean;
  /** filesHash of the last validation.passed (layers/validatedFiles.ts); undefined when none was recorded. */
  validatedHash?: string;
  /** `retry` events: validation retries used. */
  retries: number;
  lastValidationError?: { command: string; output: string; exitCode: number | null };
}

export interface AgentCost {
  usage: Usage;
  costUsd: number;
  /** Successful model calls, and those of them with no known price (counted against limits.maxRequests). */
  requests: number;
  unpricedRequests: number;
  /** The provider of the agent's latest call (per agent only). */
  provider?: string;
}

export interface RunState {
  runId?: string;
  kind?: RunKind;
  request?: string;
  specId?: string;
  /** The workflow the run follows when not its kind's default (run.started). */
  workflow?: string;
  specPath?: string;
  specApproved: boolean;
  /** `--allow-untested` was given to the run (any run.started): a gate's trace check waives missing tests. */
  allowUntested?: boolean;
  /** A workflow phase whose human gate saved the run for later (`phase.saved`): `approve <specId>` or `resume` continues there. */
  waitingGate?: string;
  /** `interrupted` whenever there is no terminal event; whether it is still `running` needs the lock. */
  status: RunInfo['status'];
  started?: string;
  updated?: string;
  lastSeq: number;
  /** Completed phases in order (a phase run twice, e.g. VALIDATE after review fixes, appears twice). */
  phases: PhaseTiming[];
  currentPhase?: string;
  /** Per phase name: finished, or started again and not finished. */
  phaseStatus: Record<string, 'running' | 'done'>;
  checkpoint?: { ref: string; commit: string };
  layers: Record<string, LayerState>;
  review: { rounds: number; lastVerdict?: 'approved' | 'rejected'; lastIssues: ReviewIssue[]; skipped?: string };
  usage: Usage;
  costUsd: number;
  requests: number;
  unpricedRequests: number;
  byAgent: Record<string, AgentCost>;
  /** The same per provider (`anthropic`, `openai`, `vscode-lm`…). */
  byProvider: Record<string, AgentCost>;
  files: TouchedFiles;
  budgetExceeded?: { spentUsd: number; limitUsd: number };
  stopReason?: string;
  report?: string;
  /** The `summary` of `run.completed`, as the pipeline wrote it. */
  summary?: unknown;
  /** A run in its own worktree (issue 22): where, and what became of its result. */
  worktree?: WorktreeState;
  /** A run started from a GitHub issue (issue 39): the issue's and the pull request's addresses. */
  github?: { issue: string; pull?: string };
}

export interface WorktreeState {
  path: string;
  /** The run's workspace in it (the same sub-folder as in the checkout). */
  workspace: string;
  /** The ref and commit the worktree started from (the checkout at run start). */
  ref: string;
  commit: string;
  /** Links made and setup commands passed. */
  ready: boolean;
  /** Workspace-relative folders linked from the checkout (never part of the run's result). */
  linked: string[];
  /** `pending` until the user applies, branches or discards it. */
  outcome: 'pending' | 'applied' | 'branched' | 'discarded';
  branch?: string;
  applied?: { ref: string; files: AppliedFile[] };
}

// Agent modes that mean "this agent works on a layer" (spec, review, diagnose and audit agents do not).
const LAYER_MODES: ReadonlySet<AgentMode> = new Set<AgentMode>(['implement', 'retry', 'review-fix', 'fix', 'audit-fix', 'enhance', 'document']);
const RUN_STATUSES: ReadonlySet<string> = new Set<RunStatus>(['completed', 'spec-saved', 'stopped', 'cancelled']);

/** Rebuilds a run's state from its events. Pure: same events, same state. */
export function rebuildState(events: readonly StateEvent[]): RunState {
  const state: RunState = {
    specApproved: false,
    status: 'interrupted',
    lastSeq: 0,
    phases: [],
    phaseStatus: {},
    layers: {},
    review: { rounds: 0, lastIssues: [] },
    usage: emptyUsage(),
    costUsd: 0,
    requests: 0,
    unpricedRequests: 0,
    byAgent: {},
    byProvider: {},
    files: { written: [], created: [], deleted: [] },
  };
  const files = new FileTracker();
  const runningPhases: string[] = [];
  for (const event of events) {
    if (event.seq !== undefined) state.lastSeq = event.seq;
    if (event.ts !== undefined) state.updated = event.ts;
    applyEvent(state, event, files, runningPhases);
  }
  state.currentPhase = runningPhases.at(-1);
  state.files = files.result();
  return state;
}

function applyEvent(state: RunState, event: StateEvent, files: FileTracker, runningPhases: string[]): void {
  switch (event.type) {
    case 'run.started':
      state.runId = event.runId;
      state.kind = event.kind;
      state.request = event.request;
      state.specId = event.specId ?? state.specId;
      state.workflow = event.workflow ?? state.workflow;
      if (event.allowUntested) state.allowUntested = true;
      state.started ??= event.ts;
      delete state.waitingGate;
      // A resumed run may append another run.started: it is running again, not finished.
      state.status = 'interrupted';
      return;
    case 'run.completed': {
      const status = (event.summary as { status?: unknown } | null)?.status;
      state.status = typeof status === 'string' && RUN_STATUSES.has(status) ? (status as RunStatus) : 'completed';
      state.summary = event.summary;
      return;
    }
    case 'run.stopped':
      state.status = event.reason === 'cancelled' ? 'cancelled' : 'stopped';
      state.stopReason = event.reason;
      state.report = event.report;
      return;
    case 'phase.started':
      state.phaseStatus[event.phase] = 'running';
      remove(runningPhases, event.phase);
      runningPhases.push(event.phase);
      return;
    case 'phase.completed':
      state.phaseStatus[event.phase] = 'done';
      state.phases.push({ name: event.phase, ms: event.ms });
      remove(runningPhases, event.phase);
      return;
    case 'agent.started': {
      if (!LAYER_MODES.has(event.mode)) return;
      const layer = layerOf(state, event.agent);
      layer.attempts++;
      layer.agentRunning = true;
      layer.implemented = false;
      layer.validated = false;
      break;
    }
    case 'agent.completed': {
      const layer = state.layers[event.agent];
      if (!layer?.agentRunning) return;
      layer.agentRunning = false;
      layer.lastOutcome = event.outcome;
      layer.implemented = event.outcome === 'submitted';
      break;
    }
    case 'wave.started':
      event.layers.forEach((name) => layerOf(state, name));
      return;
    case 'validation.started':
      layerOf(state, event.layer).validated = false;
      break;
    case 'validation.passed': {
      const layer = layerOf(state, event.layer);
      layer.validated = true;
      layer.validatedHash = event.filesHash;
      break;
    }
    case 'validation.failed': {
      const layer = layerOf(state, event.layer);
      layer.validated = false;
      layer.lastValidationError = { command: event.command, output: event.output, exitCode: event.exitCode };
      break;
    }
    case 'retry':
      layerOf(state, event.layer).retries++;
      return;
    case 'followup.started':
      // The work a follow-up starts from: implemented and validated by the runs before it (an
      // attempt, so a resume whose files changed since validates them again rather than start over).
      for (const kept of event.kept) {
        const layer = layerOf(state, kept.layer);
        Object.assign(layer, { attempts: Math.max(1, layer.attempts), implemented: true, validated: true }, kept.filesHash ? { validatedHash: kept.filesHash } : {});
      }
      break;
    case 'review.verdict':
      state.review.rounds = Math.max(state.review.rounds + 1, event.round);
      state.review.lastVerdict = event.verdict;
      state.review.lastIssues = event.issues;
      return;
    case 'review.skipped':
      state.review.skipped = event.reason;
      return;
    case 'llm.usage': {
      const unpriced = event.priced === false ? 1 : 0;
      state.usage = addUsage(state.usage, event.usage);
      state.costUsd += event.costUsd;
      state.requests++;
      state.unpricedRequests += unpriced;
      // Journals from before providers existed carry no provider: they were all Anthropic's.
      const provider = event.provider ?? 'anthropic';
      const agent = (state.byAgent[event.agent] ??= noCost());
      agent.provider = provider;
      for (const cost of [agent, (state.byProvider[provider] ??= noCost())]) {
        cost.usage = addUsage(cost.usage, event.usage);
        cost.costUsd += event.costUsd;
        cost.requests++;
        cost.unpricedRequests += unpriced;
      }
      return;
    }
    case 'file.written':
      files.written(event.path, event.created);
      return;
    case 'file.deleted':
      files.deleted(event.path);
      return;
    case 'budget.exceeded':
      state.budgetExceeded = { spentUsd: event.spentUsd, limitUsd: event.limitUsd };
      return;
    case 'spec.saved':
      state.specId = event.specId;
      state.specPath = event.path;
      return;
    case 'spec.approved':
      state.specId = event.specId;
      state.specApproved = true;
      return;
    case 'phase.saved':
      state.waitingGate = event.phase;
      return;
    case 'phase.approved':
    case 'phase.changes-requested':
      delete state.waitingGate;
      return;
    case 'checkpoint.created':
      state.checkpoint = { ref: event.ref, commit: event.commit };
      return;
    case 'run.rolled-back':
      state.status = 'rolled-back';
      return;
    case 'worktree.created':
      state.worktree = { path: event.path, workspace: event.workspace ?? event.path, ref: event.ref, commit: event.commit, ready: false, linked: [], outcome: 'pending' };
      return;
    case 'worktree.ready':
      if (state.worktree) Object.assign(state.worktree, { ready: true, linked: event.linked });
      return;
    case 'worktree.applied':
      if (state.worktree) Object.assign(state.worktree, { outcome: 'applied', applied: { ref: event.ref, files: event.files } });
      return;
    case 'worktree.branched':
      if (state.worktree) Object.assign(state.worktree, { outcome: 'branched', branch: event.branch });
      return;
    case 'worktree.discarded':
      if (state.worktree) state.worktree.outcome = 'discarded';
      return;
    case 'github.issue.linked':
      state.github = { ...state.github, issue: event.url };
      return;
    case 'github.pr.opened':
    case 'github.pr.updated':
      if (state.github) state.github.pull = event.url;
      return;
    default:
      return;
  }
  // Layer events fall through to here: keep `done` in step with its two halves.
  for (const layer of Object.values(state.layers)) layer.done = layer.implemented && layer.validated;
}

const noCost = (): AgentCost => ({ usage: emptyUsage(), costUsd: 0, requests: 0, unpricedRequests: 0 });

function layerOf(state: RunState, name: string): LayerState {
  return (state.layers[name] ??= {
    attempts: 0,
    agentRunning: false,
    implemented: false,
    validated: false,
    done: false,
    retries: 0,
  });
}

function remove(list: string[], item: string): void {
  const at = list.lastIndexOf(item);
  if (at !== -1) list.splice(at, 1);
}

// ---- Questions resume and the hosts ask -------------------------------------------------

/** Layers whose implementation finished and whose validation passed: never re-run them. */
export function doneLayers(state: RunState): string[] {
  return Object.keys(state.layers).filter((name) => state.layers[name]!.done).sort();
}

export function isLayerDone(state: RunState, layer: string): boolean {
  return state.layers[layer]?.done === true;
}

/** Phases whose latest start was completed. */
export function donePhases(state: RunState): string[] {
  return Object.keys(state.phaseStatus).filter((phase) => state.phaseStatus[phase] === 'done');
}

export function isPhaseDone(state: RunState, phase: string): boolean {
  return state.phaseStatus[phase] === 'done';
}

/** A terminal event was journaled: there is nothing to resume. */
export function isFinished(state: RunState): boolean {
  return state.status !== 'interrupted' && state.status !== 'running';
}

/**
 * What `resume` continues: a run that did not complete. Interrupted or cancelled runs, and
 * stopped ones (every stop report ends in "run `orchestrator resume`": API errors, budget,
 * validation after a human fix…); never a completed, spec-saved or rolled-back run.
 */
export function isResumableStatus(status: RunInfo['status']): boolean {
  return status === 'interrupted' || status === 'cancelled' || status === 'stopped';
}

/** Every path the run changed, sorted (the summary's `filesChanged`). */
export function filesChanged(state: RunState): string[] {
  const { written, created, deleted } = state.files;
  return [...written, ...created, ...deleted].sort();
}

/** Validation retries per layer (the summary's `retries`). */
export function retriesByLayer(state: RunState): Record<string, number> {
  return Object.fromEntries(Object.entries(state.layers).map(([name, layer]) => [name, layer.retries]));
}

export function costByAgent(state: RunState): Record<string, number> {
  return Object.fromEntries(Object.entries(state.byAgent).map(([name, agent]) => [name, agent.costUsd]));
}
