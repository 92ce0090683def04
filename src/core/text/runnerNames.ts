/**
 * The runners' names (issue 27): a leaf of the engine's words that the config schema, the runners,
 * the hosts and the UI contract (src/shared) read; it imports nothing, so any bundle may carry it.
 */

/** Every runner a layer or role may name (docs/runners.md). */
export const RUNNER_NAMES = ['agent', 'external', 'claude-code', 'codex', 'gemini', 'copilot', 'opencode'] as const;
export type RunnerName = (typeof RUNNER_NAMES)[number];

/** The runners that are a CLI agent the user already has (settings under `agentCli.<name>`). */
export const CLI_RUNNERS = ['claude-code', 'codex', 'gemini', 'copilot', 'opencode'] as const;
export type CliRunnerName = (typeof CLI_RUNNERS)[number];

export const isCliRunner = (name: string): name is CliRunnerName => (CLI_RUNNERS as readonly string[]).includes(name);

/**
 * What a layer's `runner:` (and a run's `--runner`) may say: a runner, or `auto`, the runner and
 * model with the best record for the layer among `attemptRunners` (issue 47, docs/runners.md).
 */
export const LAYER_RUNNERS = [...RUNNER_NAMES, 'auto'] as const;
export type LayerRunner = (typeof LAYER_RUNNERS)[number];

/** The roles that are not layers: `runners.<role>` chooses theirs (`external` is for layers only). */
export const RUNNER_ROLES = ['spec', 'review', 'diagnose', 'audit', 'proof'] as const;
export type RunnerRole = (typeof RUNNER_ROLES)[number];

/** A CLI agent's settings (`agentCli.<runner>`); what is absent comes from cli/cliDefaults.ts. */
export interface AgentCliConfig {
  /** The program to start (a name on PATH or a path); default the CLI's usual name (`claude`, `codex`, …). */
  command?: string;
  /** Variables the agent may see besides PATH, HOME, LANG, TMPDIR; default its own sign-in variables. */
  env?: string[];
  /** Turns per agent run; default limits.maxAgentTurns. */
  maxTurns?: number;
  /** Wall-clock limit per agent run, in seconds; default 1800. */
  timeoutSec?: number;
}

/**
 * What one agent runs on when something other than its layer's `runner:` decides (issue 47): an
 * attempt (`attemptRunners` entry k mod n) or `runner: auto`'s choice. `model` absent: the
 * config's model for the agent (ours: `models`; a CLI agent: `models.agents.<role>`, else its own default).
 */
export interface RunnerPick {
  runner: RunnerName;
  model?: string;
}

/** The runners a pick may name: those that run an agent (`external` hands the layer's tasks to someone else). */
const PICKABLE: readonly string[] = RUNNER_NAMES.filter((name) => name !== 'external');

/**
 * One `attemptRunners` entry: `runner` or `runner:model` (`agent:claude-haiku-4-5`, `codex:gpt-5.5`,
 * `agent:openai:gpt-5.5`: the model is everything after the first colon). Throws a one-line
 * message when the entry names no runner a pick may use, or a colon without a model.
 */
export function parseRunnerPick(entry: string): RunnerPick {
  const colon = entry.indexOf(':');
  const runner = colon < 0 ? entry : entry.slice(0, colon);
  const model = colon < 0 ? undefined : entry.slice(colon + 1).trim();
  if (!PICKABLE.includes(runner))
    throw new Error(`unknown runner "${runner}": write runner or runner:model, with one of ${PICKABLE.join(', ')}`);
  if (model === '') throw new Error(`"${entry}" has no model after the colon: write ${runner} or ${runner}:<model>`);
  return model === undefined ? { runner: runner as RunnerName } : { runner: runner as RunnerName, model };
}

/** A pick as the config writes it, and what an agent ran on, everywhere it is shown: `runner` or `runner:model`. */
export const runnerPickText = (pick: { runner: string; model?: string | undefined }): string =>
  pick.model ? `${pick.runner}:${pick.model}` : pick.runner;

/** Attempts of one layer (docs/attempts.md): each is a whole agent's work with its retries, so a handful at most. */
export const MAX_ATTEMPTS = 8;

/** `3 attempts per layer`, as every surface that starts a run with them says it. */
export const attemptsPerLayer = (n: number): string => `${n} attempt${n === 1 ? '' : 's'} per layer`;
