import type { EngineEvent, GithubEventType } from './events';
import type { Host } from './host';
import type { UpFrontAnswers } from './questions';
import type { AuditSummary } from './auditTypes';
import type { UncheckedLayer } from './errors';
import type { ModelProvider, SharedBudget, Usage } from './llm';
import type { PhaseTiming, RunStatus } from './journal';
import type { LayerRunner, RunnerRecord } from './runners';

export type { PhaseTiming, RunInfo, RunStatus } from './journal';
export type { ForeignSpecState, MustardSpecState, SpecInfo } from './project/specs';

/** A host's own journal entry (only the GitHub channel's so far). */
export type GithubJournalEvent = Extract<EngineEvent, { type: GithubEventType }>;

/** The engine's public face: what the CLI, the VS Code host and tests call. */
/** The run's answers given up front (`autoApprove`, `approveGates`, `assumeYes`, `placementShown`) are decided by the engine alone (questions.ts); hosts only pass them. */
export interface RunOptions extends UpFrontAnswers {
  workspace: string;
  host: Host;
  /** Cancels the run, resumable; aborted with a string reason, the host set it aside for an answer given elsewhere (the log says why). */
  signal?: AbortSignal;
  /** Messages API endpoint; defaults to the SDK's (ANTHROPIC_BASE_URL). */
  baseURL?: string;
  /** Host settings that win over .claude/orchestrator.yaml (the editor's models and limits). */
  overrides?: ConfigOverrides;
  /** The templates shipped with the host (the `.claude/` that `init` copies): default audit templates. */
  templatesDir?: string;
  /**
   * Model providers the host contributes, by model-id prefix (src/core/llm/provider.ts), e.g.
   * the extension's `vscode-lm`. They join the built-in `anthropic` and `openai` (and win on
   * the same prefix).
   */
  providers?: ModelProvider[];
  /** The workflow a feature or bugfix runs (`--workflow`, the New Feature picker); default `feature` (a bugfix: its own pipeline). */
  workflow?: string;
  /**
   * A change request's amendment saved at its gate (the host answered `save`) waits there, as a
   * saved spec does: the run ends `spec-saved` and an approval resumes it with that amendment
   * (a pooled run: the gate holds no worker). Otherwise `save` declines the amendment.
   */
  amendmentsWait?: boolean;
  /** Where the run works (`--worktree`, the editor's setting); default the config's `isolation`. */
  isolation?: 'in-place' | 'worktree';
  /**
   * A worktree run starts from this commit (or a revision naming one, `HEAD`, resolved as it
   * starts) instead of a snapshot of the checkout (a run from a GitHub issue: the committed code,
   * never the serving checkout's uncommitted files).
   */
  baseCommit?: string;
  /** A new run's id when the host chose it (a pooled run keeps the pool's id on every worker). */
  runId?: string;
  /** A budget the host keeps beyond the run's own (the pool's team budget per UTC day). */
  sharedBudget?: SharedBudget;
  /**
   * `--runner NAME`: every layer of the run on this runner (issue 27; journaled, so `resume` keeps
   * it); `auto`: each layer on the runner with the best record for it (issue 47).
   */
  runner?: LayerRunner;
  /**
   * Where the runners' record is read (`runner: auto`) and written at the run's end (issue 47):
   * default the repository's data folder on this machine; a pooled run's, the pool's database.
   */
  runnerRecord?: RunnerRecord;
  /** `--attempts N`: every layer of the run tried N times, one kept (docs/attempts.md; journaled, so `resume` keeps it). */
  attempts?: number;
  /**
   * `--allow-untested`: a workflow gate's `trace` check (slice's F) records a requirement with no
   * test as waived (`trace.waived`, and in the matrix) instead of failing. Journaled on
   * `run.started`, so the run keeps it once given (start, approve or resume).
   */
  allowUntested?: boolean;
  /**
   * `--allow-unchecked` (issue 70): a run in which a layer changed files that no proof test and no
   * validate command checked completes, naming them, instead of ending `unchecked`. Journaled on
   * `run.started`, so the run keeps it once given (start, approve or resume).
   */
  allowUnchecked?: boolean;
  /**
   * Handed the run's journal once it is open: a host's own events (the GitHub channel's `github.*`,
   * issue 39) go in order with the engine's while the run goes; after it ends they are appended.
   */
  journalOwn?: (append: (event: GithubJournalEvent) => void) => void;
}

export interface ConfigOverrides {
  models?: { default?: string; agents?: Record<string, string> };
  limits?: Partial<
    Record<
      | 'maxBudgetUsd'
      | 'maxRetries'
      | 'maxReviewRetries'
      | 'maxAgentTurns'
      | 'concurrency'
      | 'commandTimeoutSec'
      | 'apiRetryWindowSec'
      | 'maxBlocks'
      | 'maxRequests'
      | 'concurrentRuns',
      number
    >
  >;
}

/** The `--json` summary of docs/cli.md, also shown by the extension. */
export interface RunSummary {
  runId: string;
  status: RunStatus;
  specPath?: string;
  phases: PhaseTiming[];
  usage: Usage;
  costUsd: number;
  costByAgent: Record<string, number>;
  /** Successful model calls; those with no known price (`unpricedRequests`) count against limits.maxRequests instead of dollars. */
  requests: number;
  unpricedRequests: number;
  /** Cost and calls per agent (with its provider) and per provider. */
  byAgent: Record<string, ModelSpend & { provider: string }>;
  byProvider: Record<string, ModelSpend>;
  filesChanged: string[];
  retries: Record<string, number>;
  reviewRounds: number;
  error?: string;
  /** Markdown report when the run stopped (validation/review exhausted, budget, blocked). */
  report?: string;
  /** An audit run's scores, findings, iterations, cost per role… (seed 001's report). */
  audit?: AuditSummary;
  /** A worktree run's worktree, where its result waits for Apply, Create branch or Discard. */
  worktree?: string;
  /** `off`: the config's `sandbox: off`, agents and commands ran unconfined (issue 36). */
  sandbox?: 'off';
  /**
   * Issue 70: the layers whose changed files no proof test and no validate command checked, each with
   * those files (status `unchecked`; or `completed` when the run accepted them: `uncheckedAccepted`).
   */
  unchecked?: UncheckedLayer[];
  uncheckedAccepted?: true;
}

/** What one agent or provider spent: USD where a price is known, calls either way. */
export interface ModelSpend {
  costUsd: number;
  requests: number;
  unpricedRequests: number;
}

export interface ChangedFile {
  path: string;
  status: 'added' | 'modified' | 'deleted';
}

export interface RollbackReport {
  restored: string[];
  removed: string[];
}

/** The model an agent runs on, as configured: its provider (the model id's prefix) and the key that chose it. */
export interface AgentModelInfo {
  agent: string;
  /** As configured, e.g. `claude-sonnet-5-5`, `vscode-lm:copilot/gpt-4o`. */
  model: string;
  /** `anthropic`, `openai`, `vscode-lm`, … */
  provider: string;
  /** `models.default`, `models.agents.review`, or the editor setting that chose it. */
  key: string;
}
