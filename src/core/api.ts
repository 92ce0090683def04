import type { EngineEvent, GithubEventType } from './events';
import type { Host } from './host';
import type { RunChoices } from './runChoices';
import type { AuditSummary } from './auditTypes';
import type { UncheckedLayer } from './errors';
import type { ModelProvider, SharedBudget, Usage } from './llm';
import type { PhaseTiming, RunStatus } from './journal';
import type { RunnerRecord } from './runners';

export type { PhaseTiming, RunInfo, RunStatus } from './journal';
export type { ConfigOverrides, RunChoices } from './runChoices';
export type { ForeignSpecState, MustardSpecState, SpecInfo } from './project/specs';

/** A host's own journal entry (only the GitHub channel's so far). */
export type GithubJournalEvent = Extract<EngineEvent, { type: GithubEventType }>;

/**
 * The engine's public face (what the CLI, the VS Code host and tests call): one run's options, its choices, JSON-able data every host's spelling maps to (runChoices.ts: the
 * CLI's flags, the editor's settings, the pool's job row, an Action job's place), plus the live
 * wiring the host passes. The answers given up front among the choices (`autoApprove`,
 * `approveGates`, `assumeYes`, `placementShown`) are decided by the engine alone (questions.ts).
 */
export interface RunOptions extends RunChoices, RunWiring {}

/** What a host passes a run beside its choices: live objects and the host's own environment, never stored. */
export interface RunWiring {
  workspace: string;
  host: Host;
  /** Cancels the run, resumable; aborted with a string reason, the host set it aside for an answer given elsewhere (the log says why). */
  signal?: AbortSignal;
  /** Messages API endpoint; defaults to the SDK's (ANTHROPIC_BASE_URL). */
  baseURL?: string;
  /** The templates shipped with the host (the `.claude/` that `init` copies): default audit templates. */
  templatesDir?: string;
  /**
   * Model providers the host contributes, by model-id prefix (src/core/llm/provider.ts), e.g.
   * the extension's `vscode-lm`. They join the built-in `anthropic` and `openai` (and win on
   * the same prefix).
   */
  providers?: ModelProvider[];
  /** A budget the host keeps beyond the run's own (the pool's team budget per UTC day, a change-set's across its members). */
  sharedBudget?: SharedBudget;
  /** Folders the run's commands may read beside its work: a change-set member's producers' changed heads, linked in (docs/changesets.md). */
  readable?: readonly string[];
  /** A change-set member's run: its ties to the other members' runs, worked at the same time (docs/changesets.md). */
  setMember?: SetMemberWiring;
  /**
   * Where the runners' record is read (`runner: auto`) and written at the run's end (issue 47):
   * default the repository's data folder on this machine; a pooled run's, the pool's database.
   */
  runnerRecord?: RunnerRecord;
  /**
   * Handed the run's journal once it is open: a host's own events (the GitHub channel's `github.*`,
   * issue 39) go in order with the engine's while the run goes; after it ends they are appended.
   */
  journalOwn?: (append: (event: GithubJournalEvent) => void) => void;
}

/**
 * A change-set member's run beside its producers' and consumers' runs (changeSet/): its agents work
 * from the spec's contract at once; its checks begin on its producers' work once it is in, and
 * count once that work is accepted as they saw it.
 */
export interface SetMemberWiring {
  /** Before a layer's validate commands: its producers' work in, their heads linked in again; a RunStop when one stopped. */
  checks?(signal?: AbortSignal): Promise<SetLayerCheck>;
  /** Beside a layer's own validate commands: its consumers on the combined heads, counted once those and its proof pass; their failure is the layer's, retried as any. */
  consumersCheck?(signal?: AbortSignal): Promise<GateFailure | undefined>;
  /** Every agent of its last wave done for now: its work is in, its consumers may begin their checks on it. */
  workIn?(): void;
  /** Every layer's work accepted (green after the last wave, before STRENGTH): what its consumers checked on is final. */
  accepted?(): void;
}

/** A layer's validate commands in a change-set member, begun on its producers' work. */
export interface SetLayerCheck {
  /**
   * After the commands, once they passed or at the first that failed, before it is judged: its
   * producers' work accepted. False when it is not what they ran on (a producer's retry changed
   * it): they run again, on the accepted work. A RunStop when a producer stopped.
   */
  settled(signal?: AbortSignal): Promise<boolean>;
  /**
   * They passed, each with its time: the set's check on the combined heads is theirs when nothing
   * of the member or its producers changed after (changeSet/memberEvidence.ts).
   */
  passed(ran: readonly { command: string; ms: number }[]): void;
}

export interface GateFailure {
  command: string;
  output: string;
  exitCode: number | null;
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
