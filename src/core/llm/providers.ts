import { demoProvider } from './demo/demoProvider';
import { anthropicProvider } from './anthropic/provider';
import { openaiProvider } from './openai/provider';
import type { BuiltInPrices } from './types';
import type { ModelProvider } from './provider';

/** The providers the engine ships; a host adds its own (RunOptions.providers), which win on the same prefix. */
export const BUILT_IN_PROVIDERS: readonly ModelProvider[] = [anthropicProvider, openaiProvider, demoProvider];

export function providerRegistry(contributed: readonly ModelProvider[] = []): ReadonlyMap<string, ModelProvider> {
  return new Map([...BUILT_IN_PROVIDERS, ...contributed].map((provider) => [provider.id, provider]));
}

/** Each provider's own price list, for createPricing. */
export function builtInPrices(registry: ReadonlyMap<string, ModelProvider>): Record<string, BuiltInPrices> {
  const prices: Record<string, BuiltInPrices> = {};
  for (const [id, provider] of registry) if (provider.prices) prices[id] = provider.prices;
  return prices;
}
