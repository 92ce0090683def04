// An agent's events and what it touches (model calls, tools, files, validation, sandbox, worktree), split from events.ts.

import type { Usage } from '../usage';

export type AgentEvent =
  // The sandbox (issue 36): the run runs unconfined (`sandbox: off`), said once at its start.
  | { type: 'sandbox.off' }
  // A refusal inside the sandbox, by an agent or a command (what was read, written or reached);
  // `layer`: the lane it is shown in.
  | {
      type: 'sandbox.denied';
      agent?: string;
      command?: string;
      layer?: string;
      kind: 'read' | 'write' | 'net' | 'exec';
      target: string;
    }
  // `runner` (issue 27): who did the work (`agent`, `claude-code`, …; absent in older journals);
  // agent.completed also says the agent's turns, tokens and cost, and a CLI agent's session.
  // `model` (issue 47): the model it runs on (a CLI agent's only when one was chosen for it), so
  // the runners' record and a resume know which runner and model a layer's work was on.
  // `choice` (issue 47): why a layer on `runner: auto` runs on this runner and model.
  // `attempt` on agent.*: the agent's pass (how many times it has started in this run, this one included: a retry, a fix), not a layer's attempt.
  | {
      type: 'agent.started';
      agent: string;
      attempt: number;
      mode: AgentMode;
      runner?: string;
      model?: string;
      choice?: AutoChoice;
    }
  | {
      type: 'agent.completed';
      agent: string;
      attempt: number;
      outcome: AgentOutcome;
      summary?: string;
      runner?: string;
      session?: string;
      turns?: number;
      usage?: Usage;
      costUsd?: number;
      /** false: the runner reports no cost (a subscription): bounded by turns and time, not dollars. */
      metered?: false;
    }
  /** A CLI agent's session, journaled as soon as it is known, so a killed run resumes that session (issue 27). */
  | { type: 'agent.session'; agent: string; attempt: number; runner: string; session: string; worktree: string }
  // `runner`: set when a CLI agent made the call (its own tool names: Write, Bash, …; issue 27).
  | {
      type: 'tool.called';
      agent: string;
      tool: string;
      input: unknown;
      isError: boolean;
      result: string;
      runner?: string;
    }
  | { type: 'file.written'; agent: string; path: string; created: boolean; bytes: number }
  | { type: 'file.deleted'; agent: string; path: string; lines: number }
  | {
      type: 'llm.usage';
      agent: string;
      /** The model that answered, as its provider names it. */
      model: string;
      usage: Usage;
      costUsd: number;
      ms: number;
      /** `anthropic`, `openai`, `vscode-lm`…; absent in journals written before providers (Anthropic). */
      provider?: string;
      /** false: no price is known (or no usage was reported): `costUsd` is 0 and the call counts as a request. */
      priced?: false;
    }
  // `attempt`: the model call's retry number (the same call tried again), not a layer's attempt.
  | { type: 'llm.retry'; agent: string; reason: string; attempt: number }
  | { type: 'validation.started'; layer: string; command: string }
  // Each of the project's commands a run executes (issue 58; docs/pipeline.md "Command times"): its
  // kind, whose it is (the layer; a proof command's criteria), its exit (null: it timed out, was
  // cancelled or did not start) and its wall time, so a run's time splits into the project's and ours.
  | {
      type: 'command.ran';
      kind: ProjectCommandKind;
      command: string;
      layer?: string;
      criteria?: string[];
      exitCode: number | null;
      ms: number;
      timedOut?: true;
    }
  // filesHash: sha256 of the layer's owned files and validate commands when it passed (issue 8:
  // a resume validates again unless the files still match it).
  // Issue 70: a validate command that failed after the layer's work and fails on the base too (a copy of the work
  // tree as the checkpoint has it): not the layer's failure; set aside for the rest of the run, never run again in it.
  | { type: 'validation.setAside'; layer: string; command: string; output: string; exitCode: number | null }
  // `commands`: validate commands run; `proofTests`: proof tests that passed in it (absent in journals before issue 70).
  | { type: 'validation.passed'; layer: string; filesHash?: string; commands?: number; proofTests?: number }
  | { type: 'validation.failed'; layer: string; command: string; output: string; exitCode: number | null }
  // `attempt` of `max`: the layer's retry after a failed validation (its agent's next pass), not a layer's attempt.
  | { type: 'retry'; layer: string; attempt: number; max: number }
  | { type: 'review.skipped'; reason: string }
  | {
      type: 'review.verdict';
      round: number;
      verdict: 'approved' | 'rejected';
      issues: ReviewIssue[];
      criteria?: CriterionResult[];
    }
  | { type: 'agent.blocked'; agent: string; reason: string }
  // Models (issue 12; issue 8 points 9–10): API weather and long conversations.
  /** A model call failed transiently (overload, rate limit, 5xx, network): the agent waits `retryInMs`, then tries again (`attempt`: the call's retry number). */
  | {
      type: 'llm.waiting';
      agent: string;
      model: string;
      kind: ApiWeatherKind;
      reason: string;
      attempt: number;
      retryInMs: number;
      windowLeftMs: number;
    }
  /** A model call went through after `attempts` failed tries. */
  | { type: 'llm.recovered'; agent: string; model: string; attempts: number; waitedMs: number }
  // Runs in worktrees (issue 22): where the run works, and what became of its result.
  /** The run's worktree, started from `commit` (the checkout as it was, uncommitted changes included) kept on `ref`; `workspace`: the run's folder in it. */
  | { type: 'worktree.created'; path: string; ref: string; commit: string; workspace?: string }
  /** Links made and `worktree.setup` commands passed: the worktree is ready for agents. */
  | { type: 'worktree.ready'; linked: string[]; ms: number }
  /** Merged into the checkout: each file's blob before and after (null: absent), and the ref that keeps the befores. */
  | { type: 'worktree.applied'; ref: string; files: AppliedFile[]; merged: string[] }
  | { type: 'worktree.branched'; branch: string; commit: string }
  | { type: 'worktree.discarded' }
  /** Older tool results were replaced by stubs so the conversation fits the model's context window. */
  | {
      type: 'llm.compacted';
      agent: string;
      model: string;
      reason: 'window' | 'too-long';
      stubbed: number;
      tokensBefore: number;
      tokensAfter: number;
    };

/** One file an apply changed in the checkout: its blob ids before and after (null = no file). */
export interface AppliedFile {
  path: string;
  before: string | null;
  after: string | null;
}

/** Failures the engine waits out (docs/pipeline.md "API weather"). */
export type ApiWeatherKind = 'overloaded' | 'rate-limit' | 'server' | 'network';

/** What a project command ran for in a run (`command.ran`); `format`: the project's Prettier on Orchestrator's files. */
export type ProjectCommandKind =
  'validate' | 'proof' | 'strength' | 'sync' | 'setup' | 'deploy' | 'smoke' | 'audit.test' | 'format';

export type AgentMode =
  | 'implement'
  | 'retry'
  | 'review-fix'
  | 'spec'
  | 'review'
  | 'diagnose'
  | 'fix'
  // The audit loop's: the auditor, and a layer closing gaps, enhancing or documenting.
  | 'audit'
  | 'audit-fix'
  | 'enhance'
  | 'document'
  // A layer doing what another layer's block asks for (seed 003); not the layer's own task.
  | 'unblock'
  // A workflow phase's role writing its documents, and a reviewer judging them (issue 29).
  | 'role'
  | 'role-review'
  // The proof agent writing the criteria's tests before the code (docs/proof.md).
  | 'prove';

export type AgentOutcome = 'submitted' | 'max_turns' | 'loop' | 'cancelled' | 'budget' | 'error';

export interface ReviewIssue {
  file: string;
  line?: number;
  severity: 'critical' | 'major' | 'minor';
  problem: string;
  fix: string;
  /** The acceptance criterion (e.g. `REQ-1.2`) this issue reports unmet (traceability). */
  criterion?: string;
}

/** The review's verdict on one acceptance criterion of the spec (traceability, seed 000). */
export interface CriterionResult {
  id: string;
  verdict: 'met' | 'unmet';
  problem?: string;
}

/**
 * Why `runner: auto` chose a layer's runner and model (docs/runners.md): its record for the layer
 * (`runs` judged, `passRate` of them passing validation at once with every proof test green), or
 * exploring (a candidate tried fewer than twice, or the now-and-then look at another).
 */
export type AutoChoice = { by: 'record'; runs: number; passRate: number } | { by: 'exploring' };
