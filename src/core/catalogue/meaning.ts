/**
 * What an event means to the run state, host-neutral: a few facets (the run's start and end, a
 * phase, a layer's agent and validation, spend, files, the spec, the worktree…) that several event
 * types share. The journal's state, the pipeline's facts and the sidebar's view each fold these facets their way; an
 * event that changes nothing of the run means `nothing`. A new event type picks its facets here in
 * its catalogue entry; only a new facet asks the folds for a new case.
 */
import type { AuditRole, AuditSettings, AuditStopReason, Discovery, Finding, TestRun } from '../auditTypes';
import type {
  AgentMode,
  AgentOutcome,
  AppliedFile,
  ApiWeatherKind,
  CriterionResult,
  DiffStat,
  ReviewIssue,
  RunKind,
} from '../events';
import type { UncheckedLayer } from '../errors';
import type { ConfirmationRequest } from '../requests';
import type { TraceMatrix } from '../traceMatrix';
import type { Usage } from '../usage';

/** How a run that completed ended, by its summary's `status`. */
export type EndStatus = 'completed' | 'spec-saved' | 'stopped' | 'cancelled' | 'unchecked';

export interface Meaning {
  /** The run started, or resumed (a resume journals another run.started): it is at work. */
  start?: {
    runId: string;
    kind: RunKind;
    request: string;
    specId?: string;
    workflow?: string;
    allowUntested?: true;
    allowUnchecked?: true;
    sandboxOff?: true;
  };
  /** The run came to its end with a summary. */
  completed?: { status: EndStatus; summary: unknown };
  /** The run stopped short; `cancelled` when the user stopped it. */
  stopped?: {
    reason: string;
    report: string;
    cancelled: boolean;
    untested?: { phase: string; requirements: readonly string[] };
  };
  /** Before COMPLETE: the layers whose changed files nothing checked; `accepted` when the run went on all the same. */
  unchecked?: { layers: readonly UncheckedLayer[]; accepted: boolean };
  /** The run's changes were undone. */
  rolledBack?: true;
  /** A phase began (no `ms`) or finished. */
  phase?: { name: string; ms?: number };
  /** A phase's check gate failed: its role writes again. */
  phaseRetry?: { phase: string; attempt: number; max: number; report: string };
  /** A phase closed with its documents. */
  phaseClosed?: { phase: string; documents: readonly string[] };
  /** A phase's human gate: approved, saved for later (the run waits there, its documents written), or sent back. */
  gate?:
    | { phase: string; decision: 'approved' }
    | { phase: string; decision: 'changes-requested'; feedback: string }
    | { phase: string; decision: 'saved'; documents: readonly string[] };
  wave?: { index: number; of: number; layers: readonly string[] };
  /** An agent began; `onLayer` when its mode is a layer's work (spec, review, diagnose and audit agents are not). */
  agentStarted?: { agent: string; mode: AgentMode; attempt: number; onLayer: boolean; runner?: string };
  agentEnded?: { agent: string; outcome: AgentOutcome; summary?: string };
  agentBlocked?: { agent: string; reason: string };
  /** A layer's validation (the project's commands) began, passed or failed. */
  validation?:
    | { layer: string; state: 'running'; command: string }
    | { layer: string; state: 'passed'; filesHash?: string; commands?: number; proofTests?: number }
    | { layer: string; state: 'failed'; command: string; output: string; exitCode: number | null };
  retry?: { layer: string; attempt: number; max: number };
  /** Layers a follow-up starts from, implemented and validated by the runs before it. */
  kept?: readonly { layer: string; filesHash?: string }[];
  review?: {
    round: number;
    verdict: 'approved' | 'rejected';
    issues: readonly ReviewIssue[];
    criteria?: readonly CriterionResult[];
  };
  reviewSkipped?: { reason: string };
  /** A model call's spend and time; `provider` is `anthropic` for journals written before providers. */
  usage?: { agent: string; usage: Usage; costUsd: number; ms: number; provider: string; priced: boolean };
  /** The API's weather: an agent waits for it, or it answered again. */
  apiWait?: {
    agent: string;
    kind: ApiWeatherKind;
    reason: string;
    attempt: number;
    retryInMs: number;
    windowLeftMs: number;
  };
  apiRecovered?: { agent: string };
  /** A file an agent wrote or deleted. */
  file?:
    { agent: string; path: string; deleted: false; created: boolean } | { agent: string; path: string; deleted: true };
  budget?: { spentUsd: number; limitUsd: number; unpricedRequests?: number; maxRequests?: number };
  /** What UNDERSTAND found of the request, and what DIAGNOSE found of a bug. */
  understood?: {
    entity: string | null;
    known: boolean;
    layers: readonly string[];
    pattern: string | null;
    modules?: readonly string[];
  };
  diagnosis?: { rootCause: string; proposedFix: string; files: readonly string[]; layers: readonly string[] };
  /** The run's spec: written (where), approved. */
  specSaved?: { id: string; path: string };
  specApproved?: { id: string };
  /** The spec's gate sent it back to its agent. */
  specChangesRequested?: { id: string; feedback: string };
  /** COMPLETE moved the spec's folder: where it is now, and the commit it snapshotted. */
  specMoved?: { id: string; path: string; commit?: string };
  checkpoint?: { ref: string; commit: string };
  worktreeCreated?: { path: string; workspace?: string; ref: string; commit: string };
  worktreeReady?: { linked: readonly string[] };
  worktreeSettled?:
    | { outcome: 'applied'; ref: string; files: readonly AppliedFile[] }
    | { outcome: 'branched'; branch: string }
    | { outcome: 'discarded' };
  /** What the sandbox refused, and in whose lane (a layer's agent or validate command). */
  denied?: { lane?: string; what: string; command?: string };
  deploy?: { step: 'deployed' } | { step: 'smoke passed' } | { step: 'smoke failed'; detail: string };
  trace?: TraceMatrix;
  blockOpened?: { block: number; from: string; to: string; request: string };
  /** One of a layer's attempts (docs/attempts.md): started, judged, not started (the budget), or picked (the one in the run now). */
  attempt?:
    | { step: 'started'; layer: string; k: number; of: number; runner: string; model?: string }
    | {
        step: 'judged';
        layer: string;
        k: number;
        proofGreen: number;
        proofTotal: number;
        validate: 'passed' | 'failed';
        retries: number;
        costUsd: number;
        durationMs: number;
        ref?: string;
        diff?: DiffStat;
        error?: string;
      }
    | { step: 'skipped'; layer: string; k: number; reason: string }
    | { step: 'picked'; layer: string; k: number; why: string; by: 'judged' | 'person' };
  blockResolved?: { block: number };
  /** What the GitHub channel made or heard that a run links to: the issue, the spec comment, the pushed branch, the pull request (`detail`: its number, the commit…). */
  github?: { link: 'issue' | 'spec' | 'branch' | 'pull'; url: string; detail?: string };
  /** A gate's question asked (the spec's, or a phase's: `phase`), not a confirmation's: parked, the run waits there. */
  gateAsked?: { id: string; phase?: string };
  /** A question parked: the run is set aside until its answer comes, in any process. */
  parked?: { id: string };
  /** A question the run asked its host, and the answer. */
  confirmation?: {
    question: string;
    answer: boolean;
    kind?: ConfirmationRequest['kind'];
    agent?: string;
    paths?: readonly string[];
  };
  /** The audit loop: its settings (again when its budget changes), each score, its fix jobs, the findings left for a human, the tests, the report. */
  auditStarted?: AuditSettings;
  auditDiscovered?: Discovery;
  auditScored?: { iteration: number; score: number; findings: readonly Finding[]; dimensions?: Record<string, number> };
  auditJobStarted?: {
    job: string;
    iteration: number;
    phase: string;
    layer: string;
    role: AuditRole;
    findings: readonly string[];
  };
  auditJobEnded?: { job: string; outcome: 'done' | 'blocked'; summary: string };
  auditSkipped?: { iteration: number; phase: string; findings: readonly string[]; reason: string };
  auditTested?: { iteration: number; runs: readonly TestRun[] };
  auditReport?: { reason: AuditStopReason; path: string; linesAdded?: number; linesRemoved?: number };
}

/** The meaning of an event that changes nothing of the run's state (its words still say it). */
export const nothing = (): Meaning => ({});

/** `run.completed` carries the engine's summary as `unknown`: its status, read defensively. */
export function endStatusOf(summary: unknown): EndStatus {
  const status = (summary as { status?: unknown } | null)?.status;
  return typeof status === 'string' && END_STATUSES.has(status) ? (status as EndStatus) : 'completed';
}

const END_STATUSES: ReadonlySet<string> = new Set<EndStatus>([
  'completed',
  'spec-saved',
  'stopped',
  'cancelled',
  'unchecked',
]);

// Agent modes that mean "this agent works on a layer".
const LAYER_MODES: ReadonlySet<AgentMode> = new Set<AgentMode>([
  'implement',
  'retry',
  'review-fix',
  'fix',
  'audit-fix',
  'enhance',
  'document',
]);
export const isLayerMode = (mode: AgentMode): boolean => LAYER_MODES.has(mode);
