import { isAbsolute } from 'node:path';
import * as z from 'zod/mini';
import { protectedMatchOfGlob, protectedOwnsMessage } from './protectedOwns';
import { parseNetworkEntry } from '../../sandbox';
import { CLI_RUNNERS, LAYER_RUNNERS, MAX_ATTEMPTS, parseRunnerPick, RUNNER_NAMES, RUNNER_ROLES } from '../../runnerNames';
import { DEFAULT_LAYERS, DEFAULT_MODEL, type OrchestratorConfig } from './configTypes';

export * from './configTypes';

/**
 * The schema of `.claude/orchestrator.yaml` (docs/configuration.md) with its defaults. Strict: an
 * unknown key is an error, because a typo such as `maxRetry` would otherwise silently fall
 * back to the default.
 */

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
