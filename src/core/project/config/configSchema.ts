import { isAbsolute } from 'node:path';
import { z } from 'zod';
import type { ModelPrice } from '../../llm/types';
import { protectedMatchOfGlob, protectedOwnsMessage } from './protectedOwns';

/**
 * The schema of `.claude/orchestrator.yaml` (DESIGN.md) with its defaults. Strict: an
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
  /** `agent`: our own layer agent; `external`: its tasks go to the MCP queue for an outside agent. */
  runner?: 'agent' | 'external';
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
  /** Model requests per run, for providers that report no usage (budget by requests). */
  maxRequests?: number;
  /** Runs in worktrees going at once in one workspace (each with its own budget and journal). */
  concurrentRuns: number;
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
  review: { skipIfFilesChangedAtMost: number };
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
  events: { webhook?: { url: string; secret?: string } };
  /** The task queue: `url` (PostgreSQL) shares it; `sessionIdleMin`/`maxSessions` bound `mcp --http`'s sessions. */
  queue: { url?: string; leaseSec: number; sessionIdleMin: number; maxSessions: number };
  isolation: Isolation;
  worktree: WorktreeConfig;
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
}

export const DEFAULT_LAYERS: Record<string, LayerConfig> = {
  database: { owns: ['db/**'], validate: [], after: [] },
  backend: { owns: ['server/**'], validate: [], after: [] },
  frontend: { owns: ['web/**'], validate: [], after: ['backend'] },
};

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const nameSchema = z.string().regex(NAME, { error: 'names may only use letters, digits, "-" and "_"' });
const modelId = z.string().min(1);
const command = z.string().min(1);
const glob = z.string().min(1);

const contextPath = z
  .string()
  .min(1)
  .refine((p) => !isAbsolute(p) && !p.split(/[\\/]/).includes('..'), { error: 'must be a workspace-relative path' })
  .refine((p) => !p.endsWith('.core.md'), { error: 'must be a compiled .context.md file, never a .core.md source' });

const layerSchema = z.strictObject({
  owns: z.array(glob).min(1),
  validate: z.array(command).default([]),
  after: z.array(nameSchema).default([]),
  context: contextPath.optional(),
  runner: z.enum(['agent', 'external']).optional(),
});

const nonNegative = z.number().nonnegative();
const priceSchema = z.strictObject({
  input: nonNegative,
  output: nonNegative,
  cacheWrite: nonNegative.optional(),
  cacheRead: nonNegative.optional(),
});

const limitsSchema = z.strictObject({
  maxRetries: z.int().min(0).default(2),
  maxReviewRetries: z.int().min(0).default(2),
  maxBudgetUsd: z.number().positive().default(5),
  maxAgentTurns: z.int().min(1).default(40),
  concurrency: z.int().min(1).default(3),
  commandTimeoutSec: z.number().positive().default(600),
  apiRetryWindowSec: z.number().nonnegative().default(600),
  maxBlocks: z.int().min(0).default(2),
  maxRequests: z.int().min(1).optional(),
  concurrentRuns: z.int().min(1).default(3),
});

const auditSchema = z.strictObject({
  target: z.number().min(0).max(100).default(100),
  minAcceptableScore: z.number().min(0).max(100).default(80),
  maxIterations: z.int().min(1).default(10),
  test: z.array(command).default([]),
  core: z.array(glob).default(() => ['**/__init__.py', '**/index.ts']),
});

const workspacePath = z
  .string()
  .min(1)
  .refine((p) => !isAbsolute(p) && !p.split(/[\\/]/).includes('..'), { error: 'must be a workspace-relative path' });

export const configSchema = z
  .strictObject({
    version: z.literal(1).default(1),
    models: z
      .strictObject({
        default: modelId.default(DEFAULT_MODEL),
        agents: z.record(nameSchema, modelId).default({}),
      })
      .prefault({}),
    layers: z
      .record(nameSchema, layerSchema)
      .refine((layers) => Object.keys(layers).length > 0, { error: 'at least one layer is required' })
      .default(() => structuredClone(DEFAULT_LAYERS)),
    sync: z.array(command).default([]),
    deploy: z.array(command).default([]),
    smoke: z.array(command).default([]),
    schema: z.array(glob).optional(),
    limits: limitsSchema.prefault({}),
    review: z.strictObject({ skipIfFilesChangedAtMost: z.int().min(0).default(3) }).prefault({}),
    pricing: z.record(modelId, priceSchema).default({}),
    memory: workspacePath.optional(),
    privacy: z.strictObject({ deny: z.array(glob).default([]) }).prefault({}),
    commandEnv: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be an environment variable name' })).default([]),
    checkpoints: z.strictObject({ keep: z.int().min(1).default(20) }).prefault({}),
    audit: auditSchema.prefault({}),
    providers: z
      .strictObject({ openai: z.strictObject({ baseURL: z.url().optional() }).prefault({}) })
      .prefault({}),
    events: z
      .strictObject({ webhook: z.strictObject({ url: z.url(), secret: z.string().min(1).optional() }).optional() })
      .prefault({}),
    queue: z
      .strictObject({
        url: z.string().min(1).optional(),
        leaseSec: z.number().positive().default(900),
        sessionIdleMin: z.number().positive().default(30),
        maxSessions: z.int().positive().default(100),
      })
      .prefault({}),
    isolation: z.enum(['in-place', 'worktree']).default('in-place'),
    worktree: z
      .strictObject({
        dir: z.string().min(1).optional(),
        link: z.array(workspacePath).default(() => ['node_modules']),
        setup: z.array(command).default([]),
      })
      .prefault({}),
    serve: z
      .strictObject({
        port: z.int().min(0).max(65535).default(7373),
        host: z.string().min(1).default('127.0.0.1'),
        publicUrl: z.url({ protocol: /^https?$/ }).optional(),
        twilioAccountSid: z.string().min(1).optional(),
        twilioWhatsappFrom: z.string().min(1).optional(),
        twilioApiBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
        oidc: z
          .strictObject({
            issuer: z.url({ protocol: /^https?$/ }).optional(),
            clientId: z.string().min(1).optional(),
            label: z.string().min(1).max(60).optional(),
          })
          .optional(),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
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
    const cycle = findAfterCycle(config.layers);
    if (cycle && cycle[0] !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['layers', cycle[0], 'after'], message: `cycle in after: ${cycle.join(' → ')}` });
    }
  })
  .transform((config): OrchestratorConfig => ({
    ...config,
    // Without an explicit list, whatever the database layer owns is the schema.
    schema: config.schema ?? [...(config.layers.database?.owns ?? [])],
  }));

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
