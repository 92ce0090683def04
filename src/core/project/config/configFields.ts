import { isAbsolute } from 'node:path';
import * as z from 'zod/mini';
import { DEFAULT_WAIT_SEC } from '../../questions';
import { parseNetworkEntry } from '../../sandbox';
import { CLI_RUNNERS, LAYER_RUNNERS, MAX_ATTEMPTS, parseRunnerPick } from '../../text/runnerNames';

/**
 * The parts of `.claude/orchestrator.yaml`'s schema (configSchema.ts puts them together), each
 * with its description: the one text the editor shows on hover (media/orchestrator.schema.json)
 * and docs/configuration.md lists with its default (configJsonSchema.ts writes both).
 */

/** A description the editor shows on hover and in completion (the JSON Schema's `description`). */
export const about = <S extends z.ZodMiniType>(schema: S, text: string): S => schema.check(z.describe(text)) as S;

/** What a record's keys stand for, as docs/configuration.md writes them (`layers.<layer>.owns`). */
export const keyed = <S extends z.ZodMiniType>(schema: S, title: string): S => schema.check(z.meta({ title })) as S;

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
export const nameSchema = z.string().check(z.regex(NAME, { error: 'names may only use letters, digits, "-" and "_"' }));
export const modelId = z.string().check(z.minLength(1));
const command = z.string().check(z.minLength(1));
export const glob = z.string().check(z.minLength(1));
export const commands = z._default(z.array(command), []);

export const workspacePath = z.string().check(
  z.minLength(1),
  z.refine((p) => !isAbsolute(p) && !p.split(/[\\/]/).includes('..'), { error: 'must be a workspace-relative path' }),
);

const contextPath = workspacePath.check(
  z.refine((p) => !p.endsWith('.core.md'), { error: 'must be a compiled .context.md file, never a .core.md source' }),
);

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
export const runnerPickEntry = z.string().check(
  z.superRefine((entry, ctx) => {
    try {
      parseRunnerPick(entry);
    } catch (error) {
      ctx.addIssue({ code: 'custom', input: entry, message: error instanceof Error ? error.message : String(error) });
    }
  }),
);

const sandboxModes = ['required', 'off'] as const;
const sandboxMode = about(
  z.enum(sandboxModes),
  "required: CLI agents and the commands that run the layers' code run confined (docs/security.md); off: nothing is confined, and the run says so.",
);

/**
 * The short form (`sandbox: off`) is the long one's mode. Parsed through a transform, so that a
 * wrong key or value is reported within the long form; a transform has no JSON Schema, so
 * configJsonSchema.ts writes both forms for the editor (sandboxJsonSchema).
 */
export const sandboxSchema = about(
  z.pipe(
    z.transform((value: unknown) => (typeof value === 'string' ? { mode: value } : value)),
    z.strictObject({
      mode: z._default(sandboxMode, 'required'),
      network: about(
        networkList,
        'Hosts opened to validate, sync, deploy, smoke, audit.test and worktree.setup commands: host (ports 443 and 80) or host:port; loopback is 127.0.0.1:<port> or localhost:<port>. Default: none.',
      ),
    }),
  ),
  'The sandbox: required (the default) or off, or {mode, network}.',
);

/** What the editor's schema says of `sandbox:`: its short form, or the long one. */
export const sandboxJsonSchema = (long: Record<string, unknown>): Record<string, unknown> => {
  const { description, ...object } = long;
  return { description, anyOf: [{ type: 'string', enum: [...sandboxModes] }, object] };
};

export const attemptCount = z.int().check(z.minimum(1), z.maximum(MAX_ATTEMPTS));

export const layerSchema = z.strictObject({
  owns: about(
    z.array(glob).check(z.minLength(1)),
    "Workspace-relative globs this layer's agent may write (never .git/**, .claude/**, .vscode/** or .gitignore).",
  ),
  validate: about(
    commands,
    "Commands the orchestrator runs after the layer's work; one exiting non-zero sends its output back to the agent.",
  ),
  after: about(z._default(z.array(nameSchema), []), 'Layers that must finish before this one starts.'),
  context: about(
    z.optional(contextPath),
    "The compiled context file of this layer's agent. Default: .claude/context/<layer>.context.md.",
  ),
  runner: about(
    z.optional(z.enum(LAYER_RUNNERS)),
    'Who does the work: agent (the default), external (the MCP task queue), a CLI agent (claude-code, codex, gemini, copilot, opencode), or auto (the best record among attemptRunners).',
  ),
  attempts: about(
    z.optional(attemptCount),
    "Attempts at this layer's work, each in its own worktree, the one its checks prove best kept. Default: the top-level attempts.",
  ),
  sandbox: about(
    z.optional(
      z.strictObject({
        network: about(networkList, "Hosts opened to this layer's validate commands, instead of sandbox.network."),
      }),
    ),
    "This layer's sandbox.",
  ),
  timeoutSec: about(
    z.optional(z.number().check(z.positive())),
    "Seconds each of this layer's validate commands may run in a run before it is stopped and reported (never retried). init writes 3 × the slowest time it measured, at least 60. Absent: limits.commandTimeoutSec.",
  ),
});

const variableName = z
  .string()
  .check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be an environment variable name' }));
export const variableList = z.array(variableName);

export const agentCliSchema = z.strictObject({
  command: about(
    z.optional(command),
    "The program: a name on PATH or a path. Default: the CLI's usual name (claude, codex, gemini, copilot, opencode).",
  ),
  env: about(
    z.optional(variableList),
    'Variables the agent may see besides PATH, HOME, LANG and TMPDIR. Default: its own sign-in variables (docs/configuration.md).',
  ),
  maxTurns: about(z.optional(z.int().check(z.minimum(1))), 'Turns per agent run. Default: limits.maxAgentTurns.'),
  timeoutSec: about(
    z.optional(z.number().check(z.positive())),
    'Wall-clock limit per agent run, in seconds. Default: 1800.',
  ),
});
export const cliRunnerKey = keyed(z.enum(CLI_RUNNERS), 'runner');

const nonNegative = z.number().check(z.nonnegative());
export const priceSchema = z.strictObject({
  input: about(nonNegative, 'USD per million input tokens.'),
  output: about(nonNegative, 'USD per million output tokens.'),
  cacheWrite: about(z.optional(nonNegative), 'USD per million tokens written to the prompt cache.'),
  cacheRead: about(z.optional(nonNegative), 'USD per million tokens read from the prompt cache.'),
});

/** A whole number of at least `min`, `fallback` when absent. */
export const count = (min: number, fallback: number) => z._default(z.int().check(z.minimum(min)), fallback);
const positive = (fallback: number) => z._default(z.number().check(z.positive()), fallback);
const percent = (fallback: number) => z._default(z.number().check(z.minimum(0), z.maximum(100)), fallback);
const httpUrl = z.optional(z.url({ protocol: /^https?$/ }));
const text = z.string().check(z.minLength(1));

export const limitsSchema = z.strictObject({
  maxRetries: about(count(0, 2), 'Validation retries per layer.'),
  maxReviewRetries: about(count(0, 2), 'Review → fix → review rounds.'),
  maxBudgetUsd: about(
    positive(5),
    'Hard cost cap per run in USD, across every provider: no model call starts once it is reached.',
  ),
  maxAgentTurns: about(count(1, 40), 'Model turns per agent run.'),
  concurrency: about(
    count(1, 3),
    "Agents running at once, shared by every run of the process; a strength step's test processes at once too, no more than the machine's cores.",
  ),
  commandTimeoutSec: about(
    positive(600),
    'Time limit of one validate, sync, deploy or smoke command, in seconds (its whole process group is killed).',
  ),
  apiRetryWindowSec: about(
    z._default(nonNegative, 600),
    'How long overloads, rate limits, 5xx answers and dropped connections are waited out before the run stops, in seconds.',
  ),
  maxBlocks: about(
    count(0, 2),
    "Layers blocked on another layer's work per run (that layer does it in FIX mode first).",
  ),
  confirmationWaitSec: about(
    positive(DEFAULT_WAIT_SEC),
    "How long an unattended run (GitHub, the pool, the portal) waits for a confirmation's answer before it stops, resumably, in seconds.",
  ),
  maxRequests: about(
    z.optional(z.int().check(z.minimum(1))),
    "Cap on model requests per run that have no price (the editor's models, models not under pricing). Default: none.",
  ),
  concurrentRuns: about(count(1, 3), 'Runs in worktrees going at once in one workspace.'),
  poolBudgetUsdPerDay: about(
    z.optional(z.number().check(z.positive())),
    "The pool's budget per UTC day in USD, across every worker. Default: none.",
  ),
  poolMaxConcurrentRuns: about(
    z.optional(z.int().check(z.minimum(1))),
    'Pooled runs going at once across every worker. Default: none.',
  ),
});

export const auditSchema = z.strictObject({
  target: about(percent(100), 'The score the audit loop works up to (CLI: --target).'),
  minAcceptableScore: about(percent(80), 'ENHANCE (P2/P3 findings) runs only at or above this score.'),
  maxIterations: about(count(1, 10), 'Fix → test → re-audit rounds (CLI: --max-iterations).'),
  test: about(commands, 'Commands run and parsed after each iteration, e.g. ["npm test"].'),
  core: about(
    z._default(z.array(glob), () => ['**/__init__.py', '**/index.ts']),
    'Globs of core files: changing one asks first.',
  ),
});

export const proofSchema = z.strictObject({
  mode: about(
    z.optional(z.enum(['required', 'advisory', 'off'])),
    "required: a failing proof test fails its layer; advisory: the same, said as written where the project's own tests fail on the base (they are no gate); off: no PROVE phase. Default: required when a test command is known, else off.",
  ),
  tests: about(
    z._default(z.array(glob), []),
    'Workspace-relative globs where proof tests live: only the proof agent writes there.',
  ),
  command: about(
    commands,
    'Commands that run given proof test files ({files}); command[i] runs the files under tests[i].',
  ),
  maxRounds: about(
    count(0, 2),
    'Rounds the proof agent gets for a test sent back; with strength: required, also for tests added against surviving mutants.',
  ),
  timeoutSec: about(
    z.optional(z.number().check(z.positive())),
    'Seconds a proof command may run in RED and GREEN before it is stopped. init writes 3 × the time its probe took, at least 60. Absent: limits.commandTimeoutSec.',
  ),
  strength: about(
    z._default(z.enum(['off', 'report', 'required']), 'report'),
    "STRENGTH after GREEN: mutants of the changed lines run against each criterion's frozen proof tests. report: journaled and shown; required: a criterion under minScore goes back to the proof agent with its surviving mutants (up to maxRounds), then stops the run at COMPLETE; off: not measured.",
  ),
  minScore: about(
    percent(80),
    "strength: required: the share of mutants (percent) a criterion's proof tests must kill.",
  ),
  maxMutants: about(count(1, 20), 'Mutants per criterion at most, sampled evenly over the changed lines.'),
  maxMutantsPerRun: about(count(1, 100), 'Mutants per run at most, shared by its criteria.'),
  strengthTimeoutSec: about(
    positive(900),
    "Seconds one criterion's mutants may run in all before they are stopped (those not judged by then are not counted); criteria tested by the same files run together, their times summed.",
  ),
});

export const queueSchema = z.strictObject({
  url: about(
    z.optional(text),
    'PostgreSQL URL of a queue the team shares (the password in PGPASSWORD or ~/.pgpass, never here). Default: .claude/runs/queue.db (SQLite).',
  ),
  leaseSec: about(
    z.optional(z.number().check(z.positive())),
    "A claim lapses after this long without work, in seconds. Default: 900 for a task, 60 for a worker's lease on a pooled run.",
  ),
  sessionIdleMin: about(positive(30), 'mcp --http: a session unused this many minutes is closed.'),
  maxSessions: about(z._default(z.int().check(z.positive()), 100), 'mcp --http: open sessions at most (503 beyond).'),
  maxSessionsPerAccount: about(
    z._default(z.int().check(z.positive()), 10),
    'Under serve: open sessions per agent account at most (429 beyond).',
  ),
});

export const worktreeSchema = z.strictObject({
  dir: about(z.optional(text), 'Where run worktrees go. Default: a per-user cache folder.'),
  link: about(
    z._default(z.array(workspacePath), () => ['node_modules']),
    'Folders of the checkout linked into each worktree.',
  ),
  setup: about(commands, 'Commands run once in each new worktree, like validate commands.'),
});

export const serveSchema = z.strictObject({
  port: about(z._default(z.int().check(z.minimum(0), z.maximum(65535)), 7373), "The portal's port (--port wins)."),
  host: about(z._default(text, '127.0.0.1'), 'The address the portal listens on (--host wins).'),
  publicUrl: about(httpUrl, 'What people type to reach the portal, behind an HTTPS proxy.'),
  twilioAccountSid: about(z.optional(text), 'The Twilio account for WhatsApp notices (or TWILIO_ACCOUNT_SID).'),
  twilioWhatsappFrom: about(z.optional(text), 'The WhatsApp sender, e.g. whatsapp:+15550000000.'),
  twilioApiBaseUrl: about(httpUrl, "The Twilio Messages API's base URL. Default: https://api.twilio.com."),
  oidc: about(
    z.optional(
      z.strictObject({
        issuer: about(httpUrl, 'The OpenID Connect issuer (or ORCHESTRATOR_OIDC_ISSUER).'),
        clientId: about(
          z.optional(text),
          'The client id (or ORCHESTRATOR_OIDC_CLIENT_ID); its secret only in ORCHESTRATOR_OIDC_CLIENT_SECRET.',
        ),
        label: about(
          z.optional(z.string().check(z.minLength(1), z.maxLength(60))),
          'The sign-in button says "Sign in with <label>". Default: the issuer\'s host.',
        ),
      }),
    ),
    'OpenID Connect sign-in to the portal.',
  ),
});

export const githubSchema = z.strictObject({
  repository: about(
    z.optional(
      z
        .string()
        .check(
          z.regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { error: "owner/name, as in the repository's URL on GitHub" }),
        ),
    ),
    'owner/name. Default: from the origin remote.',
  ),
  apiUrl: about(
    z._default(z.url({ protocol: /^https?$/ }), 'https://api.github.com'),
    "The GitHub API; GitHub Enterprise Server's is https://<host>/api/v3.",
  ),
  label: about(
    z._default(z.string().check(z.minLength(1), z.maxLength(50)), 'orchestrator'),
    'An issue with this label starts a run.',
  ),
  maxCiFixes: about(count(0, 2), 'CI failures on a pull request sent back to the owning layer (0: none).'),
});
