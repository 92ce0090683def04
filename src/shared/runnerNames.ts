/** The runners' names (a leaf module shared by the engine, the config schema and the hosts; issue 27). */

/** Every runner a layer or role may name (docs/runners.md). */
export const RUNNER_NAMES = ['agent', 'external', 'claude-code', 'codex', 'gemini', 'copilot', 'opencode'] as const;
export type RunnerName = (typeof RUNNER_NAMES)[number];

/** The runners that are a CLI agent the user already has (settings under `agentCli.<name>`). */
export const CLI_RUNNERS = ['claude-code', 'codex', 'gemini', 'copilot', 'opencode'] as const;
export type CliRunnerName = (typeof CLI_RUNNERS)[number];

export const isCliRunner = (name: string): name is CliRunnerName => (CLI_RUNNERS as readonly string[]).includes(name);

/** The roles that are not layers: `runners.<role>` chooses theirs (`external` is for layers only). */
export const RUNNER_ROLES = ['spec', 'review', 'diagnose', 'audit'] as const;
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

/** The pool's boards (issue 28): a queued run on a CLI agent waits for a worker that found that CLI (its `runner:<name>` label): what the boards say of it. */
export function waitingFor(run: { status: string; runner?: string | undefined }): string | undefined {
  return run.status === 'queued' && run.runner && isCliRunner(run.runner) ? `waiting for a worker with ${run.runner}` : undefined;
}
