/**
 * Each CLI agent's defaults: the program's usual name, the variables that sign it in (what
 * `agentCli.<r>.env` is when absent), how to install it, and its wall-clock limit.
 */
import type { AgentCliConfig, CliRunnerName } from '../names';

export interface CliDefaults {
  command: string;
  env: readonly string[];
  install: string;
}

export const CLI_DEFAULTS: Record<CliRunnerName, CliDefaults> = {
  'claude-code': {
    command: 'claude',
    env: ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_BASE_URL'],
    install: 'npm install -g @anthropic-ai/claude-code',
  },
  codex: {
    command: 'codex',
    env: ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'CODEX_HOME'],
    install: 'npm install -g @openai/codex',
  },
  gemini: {
    command: 'gemini',
    env: ['GEMINI_API_KEY', 'GOOGLE_API_KEY', 'GOOGLE_GEMINI_BASE_URL'],
    install: 'npm install -g @google/gemini-cli',
  },
  copilot: {
    command: 'copilot',
    // Its GitHub sign-in, or a provider of the user's own (BYOK: `copilot help providers`).
    env: [
      'COPILOT_GITHUB_TOKEN',
      'GH_TOKEN',
      'GITHUB_TOKEN',
      'COPILOT_PROVIDER_BASE_URL',
      'COPILOT_PROVIDER_TYPE',
      'COPILOT_PROVIDER_API_KEY',
      'COPILOT_PROVIDER_BEARER_TOKEN',
      'COPILOT_PROVIDER_WIRE_API',
      'COPILOT_MODEL',
    ],
    install: 'npm install -g @github/copilot',
  },
  opencode: {
    command: 'opencode',
    env: ['OPENCODE_CONFIG', 'ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'OPENAI_BASE_URL'],
    install: 'npm install -g opencode-ai',
  },
};

export const DEFAULT_TIMEOUT_SEC = 1800;

/** A CLI agent's settings with every default filled in. */
export interface CliSettings {
  command: string;
  env: readonly string[];
  maxTurns: number;
  timeoutSec: number;
}

export function cliSettings(
  runner: CliRunnerName,
  configured: AgentCliConfig | undefined,
  maxAgentTurns: number,
): CliSettings {
  const defaults = CLI_DEFAULTS[runner];
  return {
    command: configured?.command ?? defaults.command,
    env: configured?.env ?? defaults.env,
    maxTurns: configured?.maxTurns ?? maxAgentTurns,
    timeoutSec: configured?.timeoutSec ?? DEFAULT_TIMEOUT_SEC,
  };
}
