import type { ConfirmationRequest } from './requests';
import type { Usage } from './usage';
import type { AuditRole, AuditSettings, AuditStopReason, Discovery, Finding, TestRun } from './auditTypes';
import type { TraceMatrix } from './traceMatrix';

/**
 * Everything the engine does is announced as an event. The journal appends them to
 * `.claude/runs/{runId}/events.jsonl` (adding `ts` and `seq`), hosts render them, and a
 * run's state is rebuilt from them on resume. Never put secrets in an event.
 *
 * "Attempt" names three kinds of try here (the field names are the journal's contract and stay;
 * docs/architecture.md): a layer's attempt (`attempt.*`, `k`; run.started's `attempts`), an
 * agent's pass (the `attempt` of agent.*, `retry` and `phase.retry`) and a model call's retry
 * (the `attempt` of llm.retry and llm.waiting, llm.recovered's `attempts`).
 */
export type EngineEvent =
  // `runner`: the run's `--runner` (every layer on it), kept so `resume` keeps it (issue 27).
  // `workflow`: the workflow it runs when not its kind's default (issue 29), so a resume runs the same one.
  // `sandbox: 'off'` (issue 36): the config's `sandbox: off`, nothing of the run is confined.
  // `attempts` (docs/attempts.md): the run's `--attempts N`, kept so `resume` keeps it.
  | {
      type: 'run.started';
      runId: string;
      kind: RunKind;
      request: string;
      specId?: string;
      runner?: string;
      attempts?: number;
      workflow?: string;
      allowUntested?: true;
      sandbox?: 'off';
    }
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
  | { type: 'run.completed'; runId: string; summary: unknown }
  // `untested` (issue 29): a workflow gate failed only for these requirements with no test, so
  // `--allow-untested` (resume) would pass it; hosts offer the waiver with it.
  | {
      type: 'run.stopped';
      runId: string;
      reason: string;
      report: string;
      untested?: { phase: string; requirements: string[] };
    }
  | { type: 'phase.started'; phase: string }
  | { type: 'phase.completed'; phase: string; ms: number }
  // Workflows (issue 29): a workflow's phase closed with its gate passed, and the documents it left (workspace-relative).
  | { type: 'phase.closed'; phase: string; documents: string[] }
  // A phase's human gate (`gate: human` on a phase other than SPEC): approved, saved for later (the
  // run ends `spec-saved` waiting at this gate), or changes requested (the phase's role runs again with the feedback).
  | { type: 'phase.approved'; phase: string }
  | { type: 'phase.saved'; phase: string; documents: string[] }
  | { type: 'phase.changes-requested'; phase: string; feedback: string }
  // The gate asks now (journal only): the portal shows a run waiting live at it (a VS Code window).
  | { type: 'phase.awaiting'; phase: string; documents: string[] }
  // A named person's decision on a run saved at this gate, recorded away from the run (the portal);
  // the run applies it when it continues (`resume`): approve → phase.approved, changes → phase.changes-requested.
  | { type: 'phase.decided'; phase: string; action: 'approve' | 'save' | 'changes'; by: string; feedback?: string }
  // A role phase's documents failed its gate: the role writes them again with the gate's report (`attempt` of `max`: the role's pass).
  | { type: 'phase.retry'; phase: string; attempt: number; max: number; report: string }
  | { type: 'wave.started'; wave: number; of: number; layers: string[] }
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
  | { type: 'validation.passed'; layer: string; filesHash?: string }
  | { type: 'validation.failed'; layer: string; command: string; output: string; exitCode: number | null }
  // `attempt` of `max`: the layer's retry after a failed validation (its agent's next pass), not a layer's attempt.
  | { type: 'retry'; layer: string; attempt: number; max: number }
  | { type: 'review.skipped'; reason: string }
  // Attempts (docs/attempts.md): a layer's N attempts from one base, each in its own worktree; each
  // judged by its proof tests, validation, retries, cost and time; one picked (`by`: the order of the
  // contract, or a person's swap), the others kept as refs; one the budget did not let start.
  | { type: 'attempt.started'; layer: string; k: number; of: number; runner: string; model?: string }
  | {
      type: 'attempt.judged';
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
  // `request`: the swap (`orchestrator attempts --use`, the sidebar) that a person's pick carried out.
  | { type: 'attempt.picked'; layer: string; k: number; why: string; by: 'judged' | 'person'; request?: string }
  | { type: 'attempt.skipped'; layer: string; k: number; reason: string }
  // Proof per criterion (docs/proof.md): PROVE's rounds, each proof test's red run on the base
  // (`output`: what the red run printed for it, trimmed), what went back to the proof agent, the
  // frozen tests' sha256, and each criterion's green run after a validation (`layer`: whose).
  | { type: 'proof.started'; round: number; criteria: string[] }
  | {
      type: 'proof.test';
      criterion: string;
      file?: string;
      name?: string;
      red: ProofRed;
      untestable?: string;
      output?: string;
    }
  | {
      type: 'proof.sentBack';
      round: number;
      tests: { criterion: string; file: string; red: 'passed' | 'broken'; output: string }[];
    }
  // `criteria`: each proven criterion's text as its tests were written from it (an amendment that rewords one proves it again).
  | { type: 'proof.frozen'; hashes: Record<string, string>; criteria?: Record<string, string> }
  | {
      type: 'proof.green';
      criterion: string;
      file: string;
      green: 'passed' | 'failed';
      layer?: string;
      output?: string;
    }
  // STRENGTH after GREEN (docs/proof.md "Strength"): the seed that samples the mutants (a resume
  // reuses it), then per criterion the mutants tried, killed and surviving (each by file, line and
  // change); `error`: what kept some from a verdict. `round`: 0 measured, then each round of tests added.
  | { type: 'proof.strengthStarted'; seed: string; round: number; criteria: string[] }
  | {
      type: 'proof.strength';
      criterion: string;
      round: number;
      tried: number;
      killed: number;
      survived: number;
      survivors: StrengthSurvivor[];
      error?: string;
    }
  // `required`: a round of the proof agent adding tests against the survivors (`round` from 1), the
  // tests it wrote that were not frozen (not red on the base, or not green now: `why`), and a
  // mutant the review judged equivalent (it changes nothing observable: no longer counted).
  | { type: 'proof.strengthen'; round: number; criteria: string[] }
  | {
      type: 'proof.strengthRefused';
      round: number;
      tests: { criterion: string; file: string; why: string; output: string }[];
    }
  | {
      type: 'proof.equivalent';
      criterion: string;
      mutant: string;
      file: string;
      line: number;
      change: string;
      why: string;
    }
  | {
      type: 'review.verdict';
      round: number;
      verdict: 'approved' | 'rejected';
      issues: ReviewIssue[];
      criteria?: CriterionResult[];
    }
  | { type: 'budget.exceeded'; spentUsd: number; limitUsd: number; unpricedRequests?: number; maxRequests?: number }
  | { type: 'spec.saved'; specId: string; path: string }
  | { type: 'spec.approved'; specId: string }
  // Issue 37: the layer of each imported task that names no file, decided at import or at the
  // approval gate, and where from; and the tasks recorded as not implementable (process, not code).
  | {
      type: 'tasks.assigned';
      specId: string;
      tasks: {
        task: string;
        layer: string;
        source: 'sibling' | 'name' | 'design' | 'wording' | 'model' | 'user';
        reason: string;
      }[];
      notImplementable: { task: string; reason: string; source: 'import' | 'model' }[];
    }
  | { type: 'checkpoint.created'; ref: string; commit: string }
  // `kind`, `agent` and `paths`: what was asked about (absent in journals written before them).
  // `covered`: the approved spec whose named files these are; its approval is the answer (issue 44).
  | {
      type: 'confirmation';
      question: string;
      answer: boolean;
      kind?: ConfirmationRequest['kind'];
      agent?: string;
      paths?: string[];
      covered?: string;
    }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  // Pipeline facts a resumed run needs again (UNDERSTAND, DIAGNOSE and SPEC results).
  // `modules`: the grain model's modules related to the request (issue 30), absent when none.
  | {
      type: 'understood';
      entity: string | null;
      known: boolean;
      layers: string[];
      pattern: string | null;
      modules?: string[];
    }
  | { type: 'diagnosis'; rootCause: string; proposedFix: string; files: string[]; layers: string[] }
  | { type: 'spec.changes-requested'; specId: string; feedback: string }
  /** `commit`: the work tree at COMPLETE (refs/orchestrator-completed/{specId}), drift's basis. */
  | { type: 'spec.completed'; specId: string; path: string; commit?: string }
  | { type: 'agent.blocked'; agent: string; reason: string }
  // Change requests (issue 23): a request picked up from the run's inbox, the amendment the
  // human approved (the spec's new version, the requirements and layers it changes) or declined.
  | { type: 'change.requested'; changeId: string; request: string }
  | {
      type: 'change.approved';
      changeId: string;
      specId: string;
      version: number;
      requirements: string[];
      layers: string[];
    }
  | { type: 'change.declined'; changeId: string; reason: string }
  // A follow-up run (issue 39): it continues completed worktree run `of`'s result (the commit
  // `base`, its branch's head) with the same approved spec. `runs`: the runs before it on that
  // branch, oldest first (their journals make its matrix). `kept`: the layers whose validated
  // work it starts from (passed, with the hash of the files they validated). `fix`: a layer sent
  // back with an error found outside (a CI job's log), which it gets as its first validation error.
  | {
      type: 'followup.started';
      of: string;
      runs: string[];
      base: string;
      kept: { layer: string; filesHash?: string }[];
      fix?: { layer: string; command: string; output: string };
    }
  // Runs (issue 7): a rollback is journaled, so neither `resume` nor the views take the run
  // for one that can continue.
  | { type: 'run.rolled-back'; restored: string[]; removed: string[] }
  // Audit to target (seed 001, issue 9): the loop's facts, so a resumed audit continues at its
  // iteration and phase, and its report and summary are rebuilt from the journal alone.
  | { type: 'audit.started'; settings: AuditSettings }
  | { type: 'audit.discovered'; discovery: Discovery }
  | {
      type: 'audit.scored';
      iteration: number;
      score: number;
      findings: Finding[];
      /** Each dimension's score when several are audited at once; `score` is the lowest. */ dimensions?: Record<
        string,
        number
      >;
    }
  /** A layer's agent takes findings of one phase (`job` names it uniquely in the run). */
  | {
      type: 'audit.job.started';
      job: string;
      iteration: number;
      phase: string;
      layer: string;
      role: AuditRole;
      findings: string[];
    }
  /** The job's agent answered (done, or blocked: it could close none) and the layer's validation passed. */
  | { type: 'audit.job.ended'; job: string; outcome: 'done' | 'blocked'; summary: string }
  /** Findings no layer can take (no file, or a file no layer owns): left for the human. */
  | { type: 'audit.skipped'; iteration: number; phase: string; findings: string[]; reason: string }
  | { type: 'audit.tested'; iteration: number; runs: TestRun[] }
  | { type: 'audit.report'; reason: AuditStopReason; path: string; linesAdded?: number; linesRemoved?: number }
  // Traceability and blocks (issue 10, seeds 000 and 003): the matrix after each phase; a layer
  // that needs another layer's work reports a block, the owning layer resolves it in FIX mode.
  | { type: 'trace.updated'; specId: string; matrix: TraceMatrix }
  // Files changed by hand since the checkpoint that COMPLETE's check counted, by owning layer.
  | { type: 'trace.by-hand'; files: Record<string, string[]> }
  // A workflow gate's `trace` check found requirements with no test and the run allows it
  // (`--allow-untested`): the waiver, which the matrix shows in their Tests cells.
  | { type: 'trace.waived'; phase: string; requirements: string[] }
  | { type: 'block.reported'; block: number; from: string; to: string; request: string }
  | { type: 'block.resolved'; block: number; from: string; to: string; summary: string; files: string[] }
  // Seed 003's roles (issue 29): the reviewer's request to a phase's role and its answer, round by
  // round (the CTO↔Engineer loop); a squad's backlog planned; a squad's need of another squad's
  // work, asked through the CTO; the Monitor's alert on a risk.
  | { type: 'cto.engineer.request'; phase: string; round: number; from: string; to: string; request: string }
  | {
      type: 'engineer.cto.response';
      phase: string;
      round: number;
      from: string;
      to: string;
      documents: string[];
      accepted: boolean;
    }
  | { type: 'module.planned'; phase: string; squad: string; layers: string[]; documents: string[] }
  // A role phase fanned out per layer (`fanOut: layers`): one layer's documents written, so a resumed pass skips it.
  | { type: 'phase.layer.done'; phase: string; layer: string; documents: string[] }
  | { type: 'pm.cto.dependency_request'; block: number; from: string; to: string; request: string }
  | { type: 'monitor.alert'; alert: MonitorAlertKind; message: string; subject?: string }
  // The task queue (seed 004, issue 11): a `runner: external` layer's work went to the queue as this task.
  | { type: 'queue.task'; layer: string; taskId: string }
  // The deploy step after COMPLETE (seed 003's DevOps role): every `deploy:` command passed, then the `smoke:` tests' verdict.
  | { type: 'deploy.completed'; commands: string[]; ms: number }
  | { type: 'smoke.passed'; commands: string[]; ms: number }
  | { type: 'smoke.failed'; command: string; exitCode: number | null; output: string }
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
  /** What the GitHub channel did or heard for this run (issue 39): `url` of what was made or read, never a token. */
  | { type: GithubEventType; url: string; by?: string; detail?: string }
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

/** The GitHub channel's journal entries (issue 39, src/github): each names the URL of what it made or heard. */
export type GithubEventType =
  | 'github.issue.linked'
  | 'github.spec.posted'
  | 'github.spec.decided'
  | 'github.decision.refused'
  | 'github.pushed'
  | 'github.pr.opened'
  | 'github.pr.updated'
  | 'github.ci.failed'
  | 'github.ci.fixed'
  | 'github.ci.limit'
  | 'github.change.requested'
  | 'github.cancelled'
  // A confirmation asked by a comment on the issue, and its answer (`/allow`, `/deny`, or none within limits.confirmationWaitSec).
  | 'github.confirmation.asked'
  | 'github.confirmation.decided';

/** One file an apply changed in the checkout: its blob ids before and after (null = no file). */
export interface AppliedFile {
  path: string;
  before: string | null;
  after: string | null;
}

/** What the Monitor watches (seed 003): the budget's burn, one layer's repeated validation failures, a block open too long. */
export type MonitorAlertKind = 'budget.burn' | 'validation.failures' | 'block.open';

/** Failures the engine waits out (docs/pipeline.md "API weather"). */
export type ApiWeatherKind = 'overloaded' | 'rate-limit' | 'server' | 'network';

export type RunKind = 'feature' | 'bugfix' | 'audit';

/** What a project command ran for in a run (`command.ran`). */
export type ProjectCommandKind =
  'validate' | 'proof' | 'strength' | 'sync' | 'setup' | 'deploy' | 'smoke' | 'audit.test';

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

/** A proof test on the base: `failed` is the red it must be; `passed` is vacuous; `broken` cannot run. */
/** A mutant the proof tests let through: where, and what it changed (`>` → `>=`). */
export interface StrengthSurvivor {
  id: string;
  file: string;
  line: number;
  change: string;
}

export type ProofRed = 'failed' | 'passed' | 'broken' | 'untestable';

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

export type EventSink = (event: EngineEvent) => void;

/**
 * Why `runner: auto` chose a layer's runner and model (docs/runners.md): its record for the layer
 * (`runs` judged, `passRate` of them passing validation at once with every proof test green), or
 * exploring (a candidate tried fewer than twice, or the now-and-then look at another).
 */
export type AutoChoice = { by: 'record'; runs: number; passRate: number } | { by: 'exploring' };

/** What an attempt changed against its base, as `git diff --shortstat` counts it. */
export interface DiffStat {
  files: number;
  insertions: number;
  deletions: number;
}
