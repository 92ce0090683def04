import { isAbsolute } from 'node:path';
import * as z from 'zod/mini';
import type { ModelPrice } from '../../llm';
import { protectedMatchOfGlob, protectedOwnsMessage } from './protectedOwns';
import { parseNetworkEntry } from '../../sandbox';
import { CLI_RUNNERS, LAYER_RUNNERS, MAX_ATTEMPTS, parseRunnerPick, RUNNER_NAMES, RUNNER_ROLES, type AgentCliConfig, type CliRunnerName, type LayerRunner, type RunnerName, type RunnerRole } from '../../runnerNames';

/**
 * The schema of `.claude/orchestrator.yaml` (docs/configuration.md) with its defaults. Strict: an
 * unknown key is an error, because a typo such as `maxRetry` would otherwise silently fall
 * back to the default.
 */

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
  queue: { url?: string; leaseSec?: number; sessionIdleMin: number; maxSessions: number; maxSessionsPerAccount: number };
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

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const nameSchema = z.string().check(z.regex(NAME, { error: 'names may only use letters, digits, "-" and "_"' }));
const modelId = z.string().check(z.minLength(1));
const command = z.string().check(z.minLength(1));
const glob = z.string().check(z.minLength(1));
const commands = z._default(z.array(command), []);

const workspacePath = z
  .string()
  .check(z.minLength(1), z.refine((p) => !isAbsolute(p) && !p.split(/[\\/]/).includes('..'), { error: 'must be a workspace-relative path' }));

const contextPath = workspacePath.check(z.refine((p) => !p.endsWith('.core.md'), { error: 'must be a compiled .context.md file, never a .core.md source' }));

/** One `sandbox.network` entry, checked by the sandbox's own parser (its message says what is wrong). */
const networkEntry = z.string().check(
  z.superRefine((entry, ctx) => {
    try {
      parseNetworkEntry(entry);
    } catch (error) {
      ctx.addIssue({ code: 'custom', input: entry, message: error instanceof Error ? error.message : String(error) });
    }
  }),
);
const networkList = z._default(z.array(networkEntry), []);

/** One `attemptRunners` entry, checked by the runners' own parser (its message says what is wrong). */
const runnerPickEntry = z.string().check(
  z.superRefine((entry, ctx) => {
    try {
      parseRunnerPick(entry);
    } catch (error) {
      ctx.addIssue({ code: 'custom', input: entry, message: error instanceof Error ? error.message : String(error) });
    }
  }),
);

/** The short form (`sandbox: off`) is the long one's mode. */
const sandboxSchema = z.pipe(
  z.transform((value: unknown) => (typeof value === 'string' ? { mode: value } : value)),
  z.strictObject({ mode: z._default(z.enum(['required', 'off']), 'required'), network: networkList }),
);

const attemptCount = z.int().check(z.minimum(1), z.maximum(MAX_ATTEMPTS));

const layerSchema = z.strictObject({
  owns: z.array(glob).check(z.minLength(1)),
  validate: commands,
  after: z._default(z.array(nameSchema), []),
  context: z.optional(contextPath),
  runner: z.optional(z.enum(LAYER_RUNNERS)),
  attempts: z.optional(attemptCount),
  sandbox: z.optional(z.strictObject({ network: networkList })),
});

const variableName = z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be an environment variable name' }));

const agentCliSchema = z.strictObject({
  command: z.optional(command),
  env: z.optional(z.array(variableName)),
  maxTurns: z.optional(z.int().check(z.minimum(1))),
  timeoutSec: z.optional(z.number().check(z.positive())),
});

const nonNegative = z.number().check(z.nonnegative());
const priceSchema = z.strictObject({
  input: nonNegative,
  output: nonNegative,
  cacheWrite: z.optional(nonNegative),
  cacheRead: z.optional(nonNegative),
});

/** A whole number of at least `min`, `fallback` when absent. */
const count = (min: number, fallback: number) => z._default(z.int().check(z.minimum(min)), fallback);
const positive = (fallback: number) => z._default(z.number().check(z.positive()), fallback);
const percent = (fallback: number) => z._default(z.number().check(z.minimum(0), z.maximum(100)), fallback);
const httpUrl = z.optional(z.url({ protocol: /^https?$/ }));

const limitsSchema = z.strictObject({
  maxRetries: count(0, 2),
  maxReviewRetries: count(0, 2),
  maxBudgetUsd: positive(5),
  maxAgentTurns: count(1, 40),
  concurrency: count(1, 3),
  commandTimeoutSec: positive(600),
  apiRetryWindowSec: z._default(nonNegative, 600),
  maxBlocks: count(0, 2),
  confirmationWaitSec: positive(86_400),
  maxRequests: z.optional(z.int().check(z.minimum(1))),
  concurrentRuns: count(1, 3),
  poolBudgetUsdPerDay: z.optional(z.number().check(z.positive())),
  poolMaxConcurrentRuns: z.optional(z.int().check(z.minimum(1))),
});

const auditSchema = z.strictObject({
  target: percent(100),
  minAcceptableScore: percent(80),
  maxIterations: count(1, 10),
  test: commands,
  core: z._default(z.array(glob), () => ['**/__init__.py', '**/index.ts']),
});

const proofSchema = z.strictObject({
  mode: z.optional(z.enum(['required', 'advisory', 'off'])),
  tests: z._default(z.array(glob), []),
  command: commands,
  maxRounds: count(0, 2),
});

export const configSchema = z.pipe(
  z
    .strictObject({
      version: z._default(z.literal(1), 1),
      models: z.prefault(z.strictObject({
        default: z._default(modelId, DEFAULT_MODEL),
        agents: z._default(z.record(nameSchema, modelId), {}),
      }), {}),
      layers: z._default(
        z.record(nameSchema, layerSchema).check(z.refine((layers) => Object.keys(layers).length > 0, { error: 'at least one layer is required' })),
        () => structuredClone(DEFAULT_LAYERS),
      ),
      sync: commands,
      deploy: commands,
      smoke: commands,
      schema: z.optional(z.array(glob)),
      limits: z.prefault(limitsSchema, {}),
      review: z.prefault(z.strictObject({ skipIfFilesChangedAtMost: count(0, 3) }), {}),
      proof: z.prefault(proofSchema, {}),
      attempts: z._default(attemptCount, 1),
      pricing: z._default(z.record(modelId, priceSchema), {}),
      memory: z.optional(workspacePath),
      privacy: z.prefault(z.strictObject({ deny: z._default(z.array(glob), []) }), {}),
      commandEnv: z._default(z.array(variableName), []),
      checkpoints: z.prefault(z.strictObject({ keep: count(1, 20) }), {}),
      audit: z.prefault(auditSchema, {}),
      providers: z.prefault(z.strictObject({ openai: z.prefault(z.strictObject({ baseURL: z.optional(z.url()) }), {}) }), {}),
      runners: z._default(z.partialRecord(z.enum(RUNNER_ROLES), z.enum(RUNNER_NAMES)), {}),
      attemptRunners: z._default(z.array(runnerPickEntry), []),
      agentCli: z._default(z.partialRecord(z.enum(CLI_RUNNERS), agentCliSchema), {}),
      events: z.prefault(z.strictObject({ webhook: z.optional(z.strictObject({ url: z.url(), secret: z.optional(z.string().check(z.minLength(1))) })) }), {}),
      queue: z.prefault(z.strictObject({
        url: z.optional(z.string().check(z.minLength(1))),
        // Absent: a task's claim lasts 900 s, a worker's lease on a pooled run 60 s.
        leaseSec: z.optional(z.number().check(z.positive())),
        sessionIdleMin: positive(30),
        maxSessions: z._default(z.int().check(z.positive()), 100),
        maxSessionsPerAccount: z._default(z.int().check(z.positive()), 10),
      }), {}),
      pool: z.prefault(z.strictObject({ remote: z.optional(z.string().check(z.minLength(1))), dir: z.optional(z.string().check(z.minLength(1))) }), {}),
      runs: z.prefault(z.strictObject({ dispatch: z._default(z.enum(['local', 'pool']), 'local') }), {}),
      isolation: z._default(z.enum(['in-place', 'worktree']), 'in-place'),
      sandbox: z._default(sandboxSchema, () => ({ mode: 'required' as const, network: [] })),
      worktree: z.prefault(z.strictObject({
        dir: z.optional(z.string().check(z.minLength(1))),
        link: z._default(z.array(workspacePath), () => ['node_modules']),
        setup: commands,
      }), {}),
      serve: z.prefault(z.strictObject({
        port: z._default(z.int().check(z.minimum(0), z.maximum(65535)), 7373),
        host: z._default(z.string().check(z.minLength(1)), '127.0.0.1'),
        publicUrl: httpUrl,
        twilioAccountSid: z.optional(z.string().check(z.minLength(1))),
        twilioWhatsappFrom: z.optional(z.string().check(z.minLength(1))),
        twilioApiBaseUrl: httpUrl,
        oidc: z.optional(z.strictObject({
          issuer: httpUrl,
          clientId: z.optional(z.string().check(z.minLength(1))),
          label: z.optional(z.string().check(z.minLength(1), z.maxLength(60))),
        })),
      }), {}),
      github: z.prefault(z.strictObject({
        repository: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { error: 'owner/name, e.g. octo-org/shop' }))),
        apiUrl: z._default(z.url({ protocol: /^https?$/ }), 'https://api.github.com'),
        label: z._default(z.string().check(z.minLength(1), z.maxLength(50)), 'orchestrator'),
        maxCiFixes: count(0, 2),
      }), {}),
    })
    .check(
      z.superRefine((config, ctx) => {
        const names = Object.keys(config.layers);
        for (const [name, layer] of Object.entries(config.layers)) {
          layer.after.forEach((dependency, index) => {
            if (!Object.hasOwn(config.layers, dependency)) {
              ctx.addIssue({
                code: 'custom',
                path: ['layers', name, 'after', index],
                message: `unknown layer "${dependency}" (layers: ${names.join(', ')})`,
              });
            }
          });
        }
        // Protected paths (issue 8): no layer may claim .git/**, .claude/**, .vscode/** or .gitignore.
        for (const [name, layer] of Object.entries(config.layers)) {
          layer.owns.forEach((glob, index) => {
            const guarded = protectedMatchOfGlob(glob);
            if (!guarded) return;
            ctx.addIssue({ code: 'custom', path: ['layers', name, 'owns', index], message: protectedOwnsMessage(glob, guarded) });
          });
        }
        config.proof.tests.forEach((glob, index) => {
          const guarded = protectedMatchOfGlob(glob);
          if (guarded) ctx.addIssue({ code: 'custom', path: ['proof', 'tests', index], message: protectedOwnsMessage(glob, guarded) });
        });
        if (config.proof.command.length > 0 && config.proof.tests.length === 0) {
          ctx.addIssue({ code: 'custom', path: ['proof', 'tests'], message: 'proof.command needs proof.tests: the folders the proof agent writes in (e.g. ["test/acceptance/**"])' });
        }
        if (config.proof.mode && config.proof.mode !== 'off' && config.proof.command.length === 0) {
          ctx.addIssue({ code: 'custom', path: ['proof', 'command'], message: `proof.mode ${config.proof.mode} needs proof.command: how the project runs given test files (e.g. "node --test {files}")` });
        }
        // The MCP queue takes a layer's tasks; a spec, review, diagnosis or audit has no such task.
        for (const [role, runner] of Object.entries(config.runners)) {
          if (runner === 'external') ctx.addIssue({ code: 'custom', path: ['runners', role], message: 'external is a runner for layers only; use agent or a CLI agent (claude-code, codex, …)' });
        }
        const cycle = findAfterCycle(config.layers);
        if (cycle && cycle[0] !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['layers', cycle[0], 'after'], message: `cycle in after: ${cycle.join(' → ')}` });
        }
      }),
    ),
  z.transform((config): OrchestratorConfig => ({
    ...config,
    // Without an explicit list, whatever the database layer owns is the schema.
    schema: config.schema ?? [...(config.layers.database?.owns ?? [])],
  })),
);

/** The first cycle along `after` edges, as `[a, b, …, a]`, or undefined. */
export function findAfterCycle(layers: Record<string, { after: string[] }>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const dependency of layers[name]?.after ?? []) {
      if (!Object.hasOwn(layers, dependency)) continue;
      const cycle = visit(dependency);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of Object.keys(layers)) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return undefined;
}
