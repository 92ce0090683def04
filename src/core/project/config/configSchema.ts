import * as z from 'zod/mini';
import { protectedMatchOfGlob, protectedOwnsMessage } from './protectedOwns';
import { RUNNER_NAMES, RUNNER_ROLES } from '../../text/runnerNames';
import { DEFAULT_LAYERS, DEFAULT_MODEL, type OrchestratorConfig } from './configTypes';
import {
  about,
  agentCliSchema,
  attemptCount,
  auditSchema,
  cliRunnerKey,
  commands,
  count,
  githubSchema,
  glob,
  keyed,
  layerSchema,
  limitsSchema,
  modelId,
  nameSchema,
  priceSchema,
  proofSchema,
  queueSchema,
  runnerPickEntry,
  sandboxSchema,
  serveSchema,
  variableList,
  workspacePath,
  worktreeSchema,
} from './configFields';

export * from './configTypes';

/**
 * The schema of `.claude/orchestrator.yaml` (docs/configuration.md) with its defaults and, through
 * `about`, each key's description: the one source of the loader's checks, the editor's JSON
 * Schema and the docs' table of options (configJsonSchema.ts). Strict: an unknown key is an
 * error, because a typo such as `maxRetry` would otherwise silently fall back to the default.
 */

export const configSchema = z.pipe(
  z
    .strictObject({
      version: about(z._default(z.literal(1), 1), 'The config format.'),
      models: about(
        z.prefault(
          z.strictObject({
            default: about(
              z._default(modelId, DEFAULT_MODEL),
              'The model of every agent without its own: a Claude model id, openai:<model> (an OpenAI-compatible endpoint) or, in VS Code only, vscode-lm:<vendor>/<family>.',
            ),
            agents: about(
              z._default(z.record(keyed(nameSchema, 'agent'), modelId), {}),
              "A model per agent: spec, review, diagnose, each layer, and the audit's audit, fix, enhance, documentation. The review agent without one runs on a stronger Claude model when the default is a Claude model.",
            ),
          }),
          {},
        ),
        'The models agents run on, any provider each.',
      ),
      layers: about(
        z._default(
          z
            .record(keyed(nameSchema, 'layer'), layerSchema)
            .check(z.refine((layers) => Object.keys(layers).length > 0, { error: 'at least one layer is required' })),
          () => structuredClone(DEFAULT_LAYERS),
        ),
        'The layers, run in waves by after; names are free. Default: database (db/**), backend (server/**), frontend (web/**, after backend), with no validate commands.',
      ),
      sync: about(
        commands,
        'Commands run before a run starts and after it completes (trusted workspaces only). None: the orchestrator updates .claude/entity-registry.json itself.',
      ),
      deploy: about(commands, 'Commands run in order after COMPLETE, each must exit 0 (the DEPLOY phase).'),
      smoke: about(commands, 'Commands run after the deploy commands: the smoke tests.'),
      schema: about(
        z.optional(z.array(glob)),
        'Globs whose change is a schema change: always reviewed, and asks first. Default: what the database layer owns.',
      ),
      limits: about(z.prefault(limitsSchema, {}), 'Caps of every run.'),
      review: about(
        z.prefault(
          z.strictObject({
            skipIfFilesChangedAtMost: about(
              count(0, 3),
              'REVIEW is skipped when at most this many files changed, with no new entity and no schema change.',
            ),
          }),
          {},
        ),
        'When the review agent runs.',
      ),
      allowUnchecked: about(
        z._default(z.boolean(), false),
        'true: a run in which a layer changed files that no proof test and no validate command checked completes all the same, naming them (as --allow-unchecked). Default: false: the run ends `unchecked` before COMPLETE (exit 3).',
      ),
      proof: about(
        z.prefault(proofSchema, {}),
        'Proof per criterion: a test written from each criterion before the code (docs/proof.md).',
      ),
      attempts: about(
        z._default(attemptCount, 1),
        "Attempts at each layer's work, each in its own worktree, the one its checks prove best kept (docs/attempts.md); layers.<layer>.attempts wins, --attempts N (or the orchestrator.attempts setting) sets a run's.",
      ),
      pricing: about(
        z._default(z.record(keyed(modelId, 'model'), priceSchema), {}),
        "USD per million tokens by model id, beside the built-in prices (Claude's). A model with no price has its requests counted against limits.maxRequests.",
      ),
      memory: about(
        z.optional(workspacePath),
        'The memory graph (MCP memory server format), workspace-relative. Default: MEMORY_FILE_PATH in .mcp.json or .vscode/mcp.json, else .claude/memory.jsonl, else .claude/memory.json.',
      ),
      privacy: about(
        z.prefault(
          z.strictObject({
            deny: about(
              z._default(z.array(glob), []),
              'Globs added to the built-in deny list (.env, *.pem, *.key, .ssh/**, …): never read, listed, searched, journaled or checkpointed.',
            ),
          }),
          {},
        ),
        'Files no agent sees.',
      ),
      commandEnv: about(
        z._default(variableList, []),
        'Variables validate, sync, deploy and smoke commands see besides PATH, HOME, LANG and TMPDIR (never a model key).',
      ),
      checkpoints: about(
        z.prefault(
          z.strictObject({
            keep: about(
              count(1, 20),
              'Checkpoint refs (refs/orchestrator/*) kept; older ones are pruned at each run start and by orchestrator gc.',
            ),
          }),
          {},
        ),
        "The runs' checkpoints.",
      ),
      audit: about(
        z.prefault(auditSchema, {}),
        'The audit-to-target loop (orchestrator audit <path>, Audit to Target).',
      ),
      providers: about(
        z.prefault(
          z.strictObject({
            openai: about(
              z.prefault(
                z.strictObject({
                  baseURL: about(
                    z.optional(z.url()),
                    'The OpenAI-compatible endpoint of openai: models (Ollama http://127.0.0.1:11434/v1, LM Studio, vLLM, gateways). Default: https://api.openai.com/v1; the key from OPENAI_API_KEY, never here.',
                  ),
                }),
                {},
              ),
              'openai:<model> models.',
            ),
          }),
          {},
        ),
        'Model providers other than the Anthropic API.',
      ),
      runners: about(
        z._default(z.partialRecord(keyed(z.enum(RUNNER_ROLES), 'role'), z.enum(RUNNER_NAMES)), {}),
        "Who does the spec, review, diagnose, audit and proof agents' work: agent (the default) or a CLI agent.",
      ),
      attemptRunners: about(
        z._default(z.array(runnerPickEntry), []),
        "The runners attempts run on (attempt k on entry k mod n) and runner: auto chooses among, each runner or runner:model. Default: the layer's runner for attempts; every installed, signed-in runner for auto.",
      ),
      agentCli: about(
        z._default(z.partialRecord(cliRunnerKey, agentCliSchema), {}),
        "Each CLI agent's settings (docs/runners.md).",
      ),
      events: about(
        z.prefault(
          z.strictObject({
            webhook: about(
              z.optional(
                z.strictObject({
                  url: about(z.url(), 'Where the CloudEvents are POSTed.'),
                  secret: about(
                    z.optional(z.string().check(z.minLength(1))),
                    'The HMAC-SHA256 key of X-Orchestrator-Signature-256; better ORCHESTRATOR_WEBHOOK_SECRET in the environment.',
                  ),
                }),
              ),
              "The run's events as CloudEvents to a webhook, signed, retried, kept in .claude/runs/outbox.jsonl until taken.",
            ),
          }),
          {},
        ),
        "Where the run's events go besides the journal.",
      ),
      queue: about(
        z.prefault(queueSchema, {}),
        "The task queue outside agents claim over MCP, and the pool's database.",
      ),
      pool: about(
        z.prefault(
          z.strictObject({
            remote: about(
              z.optional(z.string().check(z.minLength(1))),
              'The remote (name or URL) runs are pushed to for workers. Default: origin.',
            ),
            dir: about(
              z.optional(z.string().check(z.minLength(1))),
              "A worker's clone and worktrees. Default: the per-user cache.",
            ),
          }),
          {},
        ),
        'The pool of workers (docs/pool.md).',
      ),
      runs: about(
        z.prefault(
          z.strictObject({
            dispatch: about(
              z._default(z.enum(['local', 'pool']), 'local'),
              'local: runs go here; pool: New Feature, New Bugfix and Approve send them to the pool of workers.',
            ),
          }),
          {},
        ),
        'Where runs go.',
      ),
      isolation: about(
        z._default(z.enum(['in-place', 'worktree']), 'in-place'),
        'in-place: runs write into the checkout, one at a time; worktree: each run in its own git worktree, several at once, applied when you say (docs/worktrees.md).',
      ),
      sandbox: z._default(sandboxSchema, () => ({ mode: 'required' as const, network: [] })),
      worktree: about(z.prefault(worktreeSchema, {}), 'Runs in their own worktrees (isolation: worktree).'),
      serve: about(
        z.prefault(serveSchema, {}),
        'The supervisor portal (orchestrator serve); its secrets come from the environment only.',
      ),
      github: about(
        z.prefault(githubSchema, {}),
        'GitHub issues and pull requests through serve (docs/github.md); credentials from the environment only.',
      ),
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
            ctx.addIssue({
              code: 'custom',
              path: ['layers', name, 'owns', index],
              message: protectedOwnsMessage(glob, guarded),
            });
          });
        }
        config.proof.tests.forEach((glob, index) => {
          const guarded = protectedMatchOfGlob(glob);
          if (guarded)
            ctx.addIssue({
              code: 'custom',
              path: ['proof', 'tests', index],
              message: protectedOwnsMessage(glob, guarded),
            });
        });
        if (config.proof.command.length > 0 && config.proof.tests.length === 0) {
          ctx.addIssue({
            code: 'custom',
            path: ['proof', 'tests'],
            message:
              'proof.command needs proof.tests: the folders the proof agent writes in (e.g. ["test/acceptance/**"])',
          });
        }
        if (config.proof.mode && config.proof.mode !== 'off' && config.proof.command.length === 0) {
          ctx.addIssue({
            code: 'custom',
            path: ['proof', 'command'],
            message: `proof.mode ${config.proof.mode} needs proof.command: how the project runs given test files (e.g. "node --test {files}")`,
          });
        }
        // The MCP queue takes a layer's tasks; a spec, review, diagnosis or audit has no such task.
        for (const [role, runner] of Object.entries(config.runners)) {
          if (runner === 'external')
            ctx.addIssue({
              code: 'custom',
              path: ['runners', role],
              message: 'external is a runner for layers only; use agent or a CLI agent (claude-code, codex, …)',
            });
        }
        const cycle = findAfterCycle(config.layers);
        if (cycle && cycle[0] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['layers', cycle[0], 'after'],
            message: `cycle in after: ${cycle.join(' → ')}`,
          });
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
