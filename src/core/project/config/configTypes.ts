/** What `.claude/orchestrator.yaml` holds once loaded (docs/configuration.md): its types and the defaults named outside the schema. */
import type { ModelPrice } from '../../llm';
import type { AgentCliConfig, CliRunnerName, LayerRunner, RunnerName, RunnerRole } from '../../text/runnerNames';

/** Current models from the SDK's Model type (claude-sonnet-4-5 is deprecated on 2026-11-30). */
export const DEFAULT_MODEL = 'claude-sonnet-5-5';
export const DEFAULT_REVIEW_MODEL = 'claude-opus-5-5';

export interface LayerConfig {
  /** Globs (workspace-relative) this layer's agent may write; enforced by the workspace guard. */
  owns: string[];
  /** Commands the orchestrator runs itself to validate the layer. */
  validate: string[];
  /** Layers that must finish first. */
  after: string[];
  /** Workspace-relative compiled context file; default `.claude/context/{layer}.context.md`. */
  context?: string;
  /**
   * Who does the layer's work: `agent` (our own loop, the default), `external` (its tasks go to
   * the MCP queue for an outside agent), a CLI agent (`claude-code`, `codex`, …; issue 27), or
   * `auto`: the best record for the layer among `attemptRunners` (issue 47).
   */
  runner?: LayerRunner;
  /** How many attempts at this layer's work, each in its own worktree, one kept (docs/attempts.md); absent: the top-level `attempts`. */
  attempts?: number;
  /** This layer's validate commands' sandbox network (issue 36); absent: the top-level `sandbox.network`. */
  sandbox?: { network: string[] };
  /** Seconds each validate command of this layer may run (`init` writes it from the times it measured); absent: `limits.commandTimeoutSec`. */
  timeoutSec?: number;
}

/** `sandbox:` (docs/security.md "The sandbox"): `required` confines agents and commands, `off` runs them bare. */
export interface SandboxConfig {
  mode: 'required' | 'off';
  /** Hosts (`host` or `host:port`) opened for validate, sync, deploy, smoke and audit-test commands. */
  network: string[];
}

export interface Limits {
  maxRetries: number;
  maxReviewRetries: number;
  maxBudgetUsd: number;
  maxAgentTurns: number;
  concurrency: number;
  commandTimeoutSec: number;
  /** Overload, rate-limit, 5xx and network errors are waited out this long, then the run stops. */
  apiRetryWindowSec: number;
  /** Cross-layer block resolutions per run (seed 003). */
  maxBlocks: number;
  /** How long an unattended run waits for a confirmation's answer (GitHub, the portal), then stops resumably. */
  confirmationWaitSec: number;
  /** Model requests per run, for providers that report no usage (budget by requests). */
  maxRequests?: number;
  /** Runs in worktrees going at once in one workspace (each with its own budget and journal). */
  concurrentRuns: number;
  /** The pool's team budget per UTC day, across every worker (docs/pool.md). */
  poolBudgetUsdPerDay?: number;
  /** Pooled runs going at once across every worker. */
  poolMaxConcurrentRuns?: number;
}

/** Where a run works: in the checkout itself, or in its own git worktree (docs/worktrees.md). */
export type Isolation = 'in-place' | 'worktree';

export interface WorktreeConfig {
  /** Where run worktrees go; default a per-user cache folder (git/worktrees.ts). */
  dir?: string;
  /** Folders of the main checkout linked into each worktree (not copied). */
  link: string[];
  /** Commands run once in each new worktree, under the rules of validate commands. */
  setup: string[];
}

export interface AuditConfig {
  target: number;
  minAcceptableScore: number;
  maxIterations: number;
  /** The project's test commands, run by the TEST phase. */
  test: string[];
  /** Globs whose change asks first. */
  core: string[];
}

/**
 * Proof per criterion. `mode` absent: required when a command is known, else off (the run says
 * why). `command[i]` runs the files under `tests[i]` (the last command serves the rest); its
 * `{files}` are the files, quoted, relative to the folder a leading `cd <dir> &&` enters.
 */
export interface ProofConfig {
  mode?: 'required' | 'advisory' | 'off';
  tests: string[];
  command: string[];
  maxRounds: number;
  /** Seconds a proof command may run in RED and GREEN (`init` writes it from its probe's time); absent: `limits.commandTimeoutSec`. */
  timeoutSec?: number;
  /** STRENGTH after GREEN (docs/proof.md "Strength"): off, report (default), required. */
  strength: 'off' | 'report' | 'required';
  /** Percent of mutants a criterion's tests must kill under `required`. */
  minScore: number;
  maxMutants: number;
  maxMutantsPerRun: number;
  strengthTimeoutSec: number;
}

export interface OrchestratorConfig {
  version: 1;
  models: { default: string; agents: Record<string, string> };
  /** In file order, which is also the order agents are listed within a wave. */
  layers: Record<string, LayerConfig>;
  sync: string[];
  /** Run after COMPLETE, in order, under the rules of validate commands (seed 003's DevOps step). */
  deploy: string[];
  /** Smoke tests, run after `deploy`; a failure stops the run (resumable). */
  smoke: string[];
  /** Globs whose change counts as a schema change (review skip rule, confirmations). */
  schema: string[];
  limits: Limits;
  /** Attempts per layer (docs/attempts.md): N tries from one base, the one its checks prove best kept; 1 = no attempts. */
  attempts: number;
  review: { skipIfFilesChangedAtMost: number };
  /** Issue 70: a change partly checked by nothing completes (said) instead of ending `unchecked`. */
  allowUnchecked: boolean;
  /** Proof per criterion (docs/proof.md): where the tests written before the code live and what runs them. */
  proof: ProofConfig;
  /** USD per million tokens; extends the built-in prices. */
  pricing: Record<string, ModelPrice>;
  /** The memory graph's path, workspace-relative; else MEMORY_FILE_PATH from .mcp.json, else the defaults. */
  memory?: string;
  /** Globs added to the built-in deny list: never read, listed, searched, journaled or checkpointed. */
  privacy: { deny: string[] };
  /** Variables validate/sync commands may see besides PATH, HOME, LANG, TMPDIR. */
  commandEnv: string[];
  checkpoints: { keep: number };
  audit: AuditConfig;
  providers: { openai: { baseURL?: string } };
  /** The runner of each role that is not a layer (`spec`, `review`, `diagnose`, `audit`); default `agent`. */
  runners: Partial<Record<RunnerRole, RunnerName>>;
  /**
   * The runners attempts run on (attempt k on entry k mod n) and `runner: auto` chooses among
   * (issue 47, docs/runners.md): each `runner` or `runner:model`, checked by parseRunnerPick.
   * Empty: attempts on the layer's runner, auto among every installed, signed-in runner.
   */
  attemptRunners: string[];
  /** Each CLI agent's settings (issue 27, docs/runners.md). */
  agentCli: Partial<Record<CliRunnerName, AgentCliConfig>>;
  events: { webhook?: { url: string; secret?: string } };
  /** The pool of workers (docs/pool.md): the team's git remote (default the workspace's origin), where a worker keeps its clone. */
  pool: { remote?: string; dir?: string };
  /** `dispatch: pool` puts feature, bugfix, audit and approve in the pool instead of running them here. */
  runs: { dispatch: 'local' | 'pool' };
  /**
   * The task queue: `url` (PostgreSQL) shares it; `sessionIdleMin`/`maxSessions`/`maxSessionsPerAccount` bound MCP's HTTP sessions;
   * `leaseSec` a task's claim (default 900 s) and a pool worker's lease (default 60 s).
   */
  queue: {
    url?: string;
    leaseSec?: number;
    sessionIdleMin: number;
    maxSessions: number;
    maxSessionsPerAccount: number;
  };
  isolation: Isolation;
  worktree: WorktreeConfig;
  sandbox: SandboxConfig;
  /**
   * `orchestrator serve` (the supervisor portal): where it listens, the address people reach it at
   * behind a proxy, Twilio's non-secret settings. Secrets only from the environment, never here.
   */
  serve: {
    port: number;
    host: string;
    publicUrl?: string;
    twilioAccountSid?: string;
    twilioWhatsappFrom?: string;
    twilioApiBaseUrl?: string;
    /** OpenID Connect sign-in (the client secret only from ORCHESTRATOR_OIDC_CLIENT_SECRET). */
    oidc?: { issuer?: string; clientId?: string; label?: string };
  };
  /** From a GitHub issue to a pull request (issue 39, docs/github.md); credentials only from the environment. */
  github: { repository?: string; apiUrl: string; label: string; maxCiFixes: number };
}

export const DEFAULT_LAYERS: Record<string, LayerConfig> = {
  database: { owns: ['db/**'], validate: [], after: [] },
  backend: { owns: ['server/**'], validate: [], after: [] },
  frontend: { owns: ['web/**'], validate: [], after: ['backend'] },
};
