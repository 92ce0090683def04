/**
 * Everything that changes the sidebar's view model. Engine events arrive wrapped in
 * `engine`; the rest comes from the host (run lifecycle, decisions, specs, trust).
 * Pure data so the reducer can be tested without VS Code.
 */
import type { RunInfo, RunSummary, SpecInfo } from '../../core/api';
import type { EngineEvent } from '../../core/events';
import type {
  AttemptDiffView,
  ChangeSetView,
  DriftView,
  GateDecisionView,
  InitProposalView,
  PoolView,
  QueueView,
  RunnersView,
  RunView,
  SelectedSpec,
  TraceView,
  WorkflowDefinition,
} from '../../shared/viewState';

export type RunKind = RunView['kind'];

export type ViewAction =
  | { type: 'workspace'; name: string | undefined }
  | { type: 'trust'; trusted: boolean }
  | { type: 'queue'; queue: QueueView }
  /** The pool of workers (issue 28); none when the workspace has no pool. */
  | { type: 'pool'; pool: PoolView | undefined }
  /** Each layer's runner and the CLI agents here (issue 27). */
  | { type: 'runners'; runners: RunnersView }
  /** Initialize Workspace's proposal; none once accepted or dismissed. */
  | { type: 'init'; init: InitProposalView | undefined }
  | { type: 'specs'; specs: SpecInfo[] }
  | { type: 'runs'; runs: RunInfo[] }
  /** The change-sets of the folder's workspace of repositories (issue 73), as the engine gives them. */
  | { type: 'changeSets'; sets: ChangeSetView[] }
  | { type: 'select'; spec: SelectedSpec | undefined }
  /** `history`: the journal of a run being resumed, so the view continues where it was. */
  | { type: 'run.begin'; kind: RunKind; request: string; history?: EngineEvent[] }
  /** `lane`: the event belongs to that worktree run (issue 22), not to the in-place `run`. */
  | { type: 'engine'; event: EngineEvent; lane?: string }
  | { type: 'run.end'; summary?: RunSummary; error?: string; cancelled?: boolean }
  /** A run in its own worktree, shown beside the others (issue 22). */
  | { type: 'lane.begin'; lane: string; kind: RunKind; request: string; history?: EngineEvent[] }
  | { type: 'lane.end'; lane: string; summary?: RunSummary; error?: string; cancelled?: boolean }
  /** A worktree run applied, branched or discarded: its lane goes (the runs list shows what became of it). */
  | { type: 'lane.close'; runId: string }
  /** `gate`: a workflow phase's human gate asks (issue 29), shown on its step; absent: the spec gate. */
  | { type: 'decision.pending'; spec: SelectedSpec; lane?: string; gate?: GateDecisionView }
  | { type: 'decision.resolved'; lane?: string }
  /** The engine asks the human to confirm something (a modal): the run waits for them; `undefined` once answered. */
  | { type: 'confirmation'; asking: { agent: string; question: string } | undefined; lane?: string }
  /** The audit report's markdown, read from the file `audit.report` named (when it is still that one). */
  | { type: 'audit.report'; path: string; markdown: string }
  /** A past run rebuilt from its journal after a window reload; never live. */
  | { type: 'run.restored'; info: RunInfo; events: EngineEvent[] }
  /** The restored run another process runs, read again from its journal (it grew, or its owner ended). */
  | { type: 'run.followed'; info: RunInfo; events: EngineEvent[] }
  /** A pooled run's journal as its workers mirrored it (the Pool section's Journal; `follow`: read again as it grows, while shown). */
  | { type: 'run.pooled'; info: RunInfo; events: EngineEvent[]; follow?: true }
  /** The workflow file of the run (or lane) with that id, read for its steps (issue 29). */
  | { type: 'workflow.defined'; runId: string; definition: WorkflowDefinition }
  /** An attempt's diff the user opened in the sidebar (issue 47), for the run with that id. */
  | { type: 'attempt.diff'; runId: string; diff: AttemptDiffView }
  /** The selected spec's traceability matrix (loaded after the spec itself). */
  | { type: 'trace'; trace: TraceView }
  /** Verify's progress and result for a completed spec. */
  | { type: 'drift'; drift: DriftView };
