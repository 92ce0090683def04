/**
 * What each CLI agent is called and how it keeps its sign-in, from its own documentation
 * (docs/runners.md). Only names of variables and paths of files: detection checks that they are
 * set or exist, never what they hold.
 */
import type { CliRunnerName } from '../names';

export interface CliFacts {
  /** What the user calls it. */
  label: string;
  /** The program's usual name on PATH (`agentCli.<r>.command` overrides it). */
  command: string;
  /** The npm package that installs it. */
  npmPackage: string;
  /** The oldest version whose headless features the runner uses; undefined: not checked. */
  minVersion?: string;
  /** Variables that sign it in (any one set is enough). */
  signInVariables: string[];
  /**
   * Files its own sign-in writes, relative to the user's home (`~`) or to a variable's folder
   * (`$CODEX_HOME/auth.json`, falling back to the path after `|`).
   */
  credentialFiles: string[];
  /** The one thing to do when it is not signed in. */
  signInHint: string;
}

export const CLI_FACTS: Record<CliRunnerName, CliFacts> = {
  'claude-code': {
    label: 'Claude Code',
    command: 'claude',
    npmPackage: '@anthropic-ai/claude-code',
    minVersion: '2.1.0',
    signInVariables: ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN'],
    // macOS keeps it in the keychain: the file is absent there, so "unknown" rather than "no".
    credentialFiles: ['~/.claude/.credentials.json'],
    signInHint: 'run `claude` once and sign in, or set ANTHROPIC_API_KEY',
  },
  codex: {
    label: 'Codex',
    command: 'codex',
    npmPackage: '@openai/codex',
    // Permission profiles (writable folders and unreadable files) arrived in 0.138.0.
    minVersion: '0.138.0',
    signInVariables: ['OPENAI_API_KEY', 'CODEX_API_KEY'],
    credentialFiles: ['$CODEX_HOME/auth.json|~/.codex/auth.json'],
    signInHint: 'run `codex login`, or set OPENAI_API_KEY',
  },
  gemini: {
    label: 'Gemini CLI',
    command: 'gemini',
    npmPackage: '@google/gemini-cli',
    // --admin-policy, --skip-trust and GEMINI_CLI_HOME as the runner uses them (docs/runners.md).
    minVersion: '0.61.0',
    signInVariables: ['GEMINI_API_KEY', 'GOOGLE_API_KEY', 'GOOGLE_APPLICATION_CREDENTIALS'],
    credentialFiles: ['~/.gemini/oauth_creds.json', '~/.gemini/.env'],
    signInHint: 'run `gemini` once and log in with Google, or set GEMINI_API_KEY',
  },
  copilot: {
    label: 'Copilot CLI',
    command: 'copilot',
    npmPackage: '@github/copilot',
    // The CLI release @github/copilot-sdk 1.0.14 is built against (its JSON-RPC protocol 3).
    minVersion: '1.0.85',
    signInVariables: ['COPILOT_GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_TOKEN', 'COPILOT_PROVIDER_BASE_URL'],
    // The runner gives Copilot its own COPILOT_HOME: a `/login` kept in ~/.copilot is not used.
    credentialFiles: [],
    signInHint:
      'set COPILOT_GITHUB_TOKEN (a token allowed to use Copilot), or COPILOT_PROVIDER_BASE_URL for a provider of your own',
  },
  opencode: {
    label: 'opencode',
    command: 'opencode',
    npmPackage: 'opencode-ai',
    // The runner was written and tested against 1.18.33 (its `run --format json` events, agent `steps`, per-path permissions).
    minVersion: '1.18.0',
    signInVariables: ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY', 'GEMINI_API_KEY', 'OPENROUTER_API_KEY'],
    credentialFiles: ['$XDG_DATA_HOME/opencode/auth.json|~/.local/share/opencode/auth.json'],
    signInHint: "run `opencode auth login`, or set your provider's key (e.g. ANTHROPIC_API_KEY)",
  },
};
