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
