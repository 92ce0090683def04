/**
 * Where each model provider's key is found in the environment, read one way by every host: the
 * headless hosts' only source (src/core/headlessHost.ts), the editor's fallback when SecretStorage
 * holds none (src/extension/host/apiKeyStore.ts); and the names never passed to what a run spawns
 * (src/core/process). A portable leaf (scripts/floors.cjs): the extension carries it by value.
 */
export type KeyedProvider = 'anthropic' | 'openai';

export const PROVIDER_KEY_ENV: Readonly<Record<KeyedProvider, string>> = {
  anthropic: 'ANTHROPIC_API_KEY',
  openai: 'OPENAI_API_KEY',
};

/**
 * What a run stopped for want of a key says besides the key (issue 71): every way to run the
 * agents, the keyless ones first among the rest: VS Code's models, a local server, the demo.
 */
export const WAYS_IN: readonly string[] = [
  'Ways to run the agents:',
  '  - a key: ANTHROPIC_API_KEY for Claude models, or OPENAI_API_KEY for openai:<model> models (in VS Code: Orchestrator: Set API Key, kept in its secret storage)',
  "  - VS Code's own models (GitHub Copilot's), no key: through the Language Model API, models.default: vscode-lm:copilot/<family>, or Orchestrator: Use the Editor's Models (inside VS Code only)",
  '  - a local OpenAI-compatible server, no key: Ollama or LM Studio, with providers.openai.baseURL: http://127.0.0.1:11434/v1 (LM Studio: http://127.0.0.1:1234/v1) and models.default: openai:<model> in .claude/orchestrator.yaml (`orchestrator init` writes it; docs/configuration.md)',
  '  - no key and no model: `orchestrator demo` runs a whole feature on a bundled sample with a scripted model; `orchestrator feature --dry-run "<request>"` shows what a run would do in this repository',
];

/** A provider's key in `env`, trimmed; unset or blank is none, as is a provider with no key. */
export function keyFromEnv(env: Readonly<Record<string, string | undefined>>, provider: string): string | undefined {
  const name = Object.hasOwn(PROVIDER_KEY_ENV, provider) ? PROVIDER_KEY_ENV[provider as KeyedProvider] : undefined;
  return (name && env[name]?.trim()) || undefined;
}
