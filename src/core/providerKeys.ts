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

/** A provider's key in `env`, trimmed; unset or blank is none, as is a provider with no key. */
export function keyFromEnv(env: Readonly<Record<string, string | undefined>>, provider: string): string | undefined {
  const name = Object.hasOwn(PROVIDER_KEY_ENV, provider) ? PROVIDER_KEY_ENV[provider as KeyedProvider] : undefined;
  return (name && env[name]?.trim()) || undefined;
}
