import type { PhaseTiming, RunInfo } from './runInfo';
import { meaningOf, type Meaning } from '../catalogue';
import type { AgentOutcome, AppliedFile, EngineEvent, ReviewIssue, RunKind } from '../events';
import type { UncheckedLayer } from '../errors';
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
  /** `--allow-unchecked` was given to the run (any run.started): work nothing checked does not stop it before COMPLETE. */
  allowUnchecked?: boolean;
  /** The latest `run.unchecked`: the layers whose changed files nothing checked, and whether the run went on. */
  unchecked?: { layers: UncheckedLayer[]; accepted: boolean };
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
  const fold: Fold = { files: new FileTracker(), runningPhases: [], gates: new Map() };
  for (const event of events) {
    if (event.seq !== undefined) state.lastSeq = event.seq;
    if (event.ts !== undefined) state.updated = event.ts;
    applyMeaning(state, meaningOf(event), { ...fold, ts: event.ts });
  }
  state.currentPhase = fold.runningPhases.at(-1);
  state.files = fold.files.result();
  return state;
}

interface Fold {
  files: FileTracker;
  runningPhases: string[];
  /** The gates' questions asked so far, with their phase (undefined: the spec's gate). */
  gates: Map<string, string | undefined>;
  ts?: string;
}

function applyMeaning(state: RunState, meaning: Meaning, fold: Fold): void {
  for (const facet of Object.keys(meaning) as (keyof Meaning)[]) {
    const value = meaning[facet];
    if (value !== undefined) (FACETS[facet] as (s: RunState, v: typeof value, f: Fold) => void)(state, value, fold);
  }
  // Keep each layer's `done` in step with its two halves.
  for (const layer of Object.values(state.layers)) layer.done = layer.implemented && layer.validated;
}

const ignored = (): void => {};

/** What each facet of an event's meaning does to the journal's run state (the sidebar's view folds the same facets its way). */
const FACETS: { [F in keyof Meaning]-?: (state: RunState, facet: NonNullable<Meaning[F]>, fold: Fold) => void } = {
  start: (state, start, fold) => {
    state.runId = start.runId;
    state.kind = start.kind;
    state.request = start.request;
    state.specId = start.specId ?? state.specId;
    state.workflow = start.workflow ?? state.workflow;
    if (start.allowUntested) state.allowUntested = true;
    if (start.allowUnchecked) state.allowUnchecked = true;
    state.started ??= fold.ts;
    delete state.waitingGate;
    // A resumed run may append another run.started: it is running again, not finished.
    state.status = 'interrupted';
  },
  completed: (state, completed) => {
    state.status = completed.status;
    state.summary = completed.summary;
  },
  stopped: (state, stopped) => {
    state.status = stopped.cancelled ? 'cancelled' : stopped.reason === 'unchecked' ? 'unchecked' : 'stopped';
    state.stopReason = stopped.reason;
    state.report = stopped.report;
  },
  unchecked: (state, unchecked) => {
    // An empty list: what an earlier stop found unchecked has been checked since (a check added before resume).
    if (unchecked.layers.length === 0) delete state.unchecked;
    else state.unchecked = { layers: [...unchecked.layers], accepted: unchecked.accepted };
  },
  rolledBack: (state) => {
    state.status = 'rolled-back';
  },
  phase: (state, phase, { runningPhases }) => {
    remove(runningPhases, phase.name);
    if (phase.ms === undefined) {
      state.phaseStatus[phase.name] = 'running';
      runningPhases.push(phase.name);
    } else {
      state.phaseStatus[phase.name] = 'done';
      state.phases.push({ name: phase.name, ms: phase.ms });
    }
  },
  phaseRetry: ignored,
  phaseClosed: ignored,
  gateAsked: (_state, asked, { gates }) => {
    gates.set(asked.id, asked.phase);
  },
  // A gate's question parked: the run is saved there, as if its end (spec-saved) were journaled too; a
  // process killed between the two leaves it waiting at its gate, answerable, never asking again.
  parked: (state, parked, { gates }) => {
    if (!gates.has(parked.id)) return;
    state.status = 'spec-saved';
    const phase = gates.get(parked.id);
    if (phase !== undefined) state.waitingGate = phase;
  },
  gate: (state, gate) => {
    if (gate.decision === 'saved') state.waitingGate = gate.phase;
    else delete state.waitingGate;
  },
  wave: (state, wave) => wave.layers.forEach((name) => layerOf(state, name)),
  agentStarted: (state, started) => {
    if (!started.onLayer) return;
    Object.assign(layerOf(state, started.agent), { agentRunning: true, implemented: false, validated: false })
      .attempts++;
  },
  agentEnded: (state, ended) => {
    const layer = state.layers[ended.agent];
    if (!layer?.agentRunning) return;
    Object.assign(layer, {
      agentRunning: false,
      lastOutcome: ended.outcome,
      implemented: ended.outcome === 'submitted',
    });
  },
  agentBlocked: ignored,
  validation: (state, validation) => {
    const layer = layerOf(state, validation.layer);
    layer.validated = validation.state === 'passed';
    if (validation.state === 'passed') layer.validatedHash = validation.filesHash;
    if (validation.state === 'failed')
      layer.lastValidationError = {
        command: validation.command,
        output: validation.output,
        exitCode: validation.exitCode,
      };
  },
  retry: (state, retry) => {
    layerOf(state, retry.layer).retries++;
  },
  // An attempt, so a resume whose files changed since validates them again rather than start over.
  kept: (state, kept) => {
    for (const { layer: name, filesHash } of kept) {
      const layer = layerOf(state, name);
      Object.assign(
        layer,
        { attempts: Math.max(1, layer.attempts), implemented: true, validated: true },
        filesHash ? { validatedHash: filesHash } : {},
      );
    }
  },
  review: (state, review) => {
    state.review.rounds = Math.max(state.review.rounds + 1, review.round);
    state.review.lastVerdict = review.verdict;
    state.review.lastIssues = review.issues as ReviewIssue[];
  },
  reviewSkipped: (state, skipped) => {
    state.review.skipped = skipped.reason;
  },
  usage: (state, call) => {
    const unpriced = call.priced ? 0 : 1;
    const agent = (state.byAgent[call.agent] ??= noCost());
    agent.provider = call.provider;
    for (const cost of [state, agent, (state.byProvider[call.provider] ??= noCost())]) {
      cost.usage = addUsage(cost.usage, call.usage);
      cost.costUsd += call.costUsd;
      cost.requests++;
      cost.unpricedRequests += unpriced;
    }
  },
  apiWait: ignored,
  apiRecovered: ignored,
  file: (_state, file, { files }) => (file.deleted ? files.deleted(file.path) : files.written(file.path, file.created)),
  budget: (state, budget) => {
    state.budgetExceeded = { spentUsd: budget.spentUsd, limitUsd: budget.limitUsd };
  },
  // UNDERSTAND's and DIAGNOSE's results are the pipeline's facts (pipeline/kernel/facts.ts).
  understood: ignored,
  diagnosis: ignored,
  specSaved: (state, saved) => {
    state.specId = saved.id;
    state.specPath = saved.path;
  },
  specApproved: (state, approved) => {
    state.specId = approved.id;
    state.specApproved = true;
  },
  specChangesRequested: ignored,
  // The run's spec stays where the run wrote it.
  specMoved: ignored,
  checkpoint: (state, checkpoint) => {
    state.checkpoint = { ref: checkpoint.ref, commit: checkpoint.commit };
  },
  worktreeCreated: (state, created) => {
    state.worktree = {
      path: created.path,
      workspace: created.workspace ?? created.path,
      ref: created.ref,
      commit: created.commit,
      ready: false,
      linked: [],
      outcome: 'pending',
    };
  },
  worktreeReady: (state, ready) => {
    if (state.worktree) Object.assign(state.worktree, { ready: true, linked: ready.linked });
  },
  worktreeSettled: (state, settled) => {
    if (!state.worktree) return;
    state.worktree.outcome = settled.outcome;
    if (settled.outcome === 'applied')
      state.worktree.applied = { ref: settled.ref, files: settled.files as AppliedFile[] };
    if (settled.outcome === 'branched') state.worktree.branch = settled.branch;
  },
  denied: ignored,
  deploy: ignored,
  trace: ignored,
  // A layer's attempts are their own fold (pipeline/attempts); the picked one's layer work joins the journal as the layer's.
  attempt: ignored,
  blockOpened: ignored,
  blockResolved: ignored,
  github: (state, github) => {
    if (github.link === 'issue') state.github = { ...state.github, issue: github.url };
    else if (github.link === 'pull' && state.github) state.github.pull = github.url;
  },
  // The audit's own state is the audit's facts (pipeline/audit/auditFacts.ts).
  confirmation: ignored,
  auditStarted: ignored,
  auditDiscovered: ignored,
  auditScored: ignored,
  auditJobStarted: ignored,
  auditJobEnded: ignored,
  auditSkipped: ignored,
  auditTested: ignored,
  auditReport: ignored,
};

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
