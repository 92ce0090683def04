import type { ModelPrice, ResolvedPrice, TieredPrice } from '../types';

/**
 * Claude prices in USD per million tokens, from Anthropic's published pricing page (checked
 * 2026-10). `cacheWrite` is the 5-minute write price (this client only writes 5-minute
 * entries); when a price leaves it out it is 1.25× input, and `cacheRead` is 0.1× input.
 * Several current models deviate from those ratios, so they list the real figures.
 */
const opus45to5: TieredPrice = { input: 5, output: 25 };
const sonnet4: TieredPrice = { input: 3, output: 15 };

export const BUILT_IN_PRICES: Readonly<Record<string, TieredPrice>> = {
  'claude-fable-5-2': { input: 8, output: 40, cacheWrite: 10, cacheRead: 0.2 },
  'claude-mythos-5-2': { input: 8, output: 40, cacheWrite: 10, cacheRead: 0.2 },
  'claude-fable-5-1': { input: 10, output: 50, cacheWrite: 12.5, cacheRead: 0.25 },
  'claude-mythos-5-1': { input: 10, output: 50, cacheWrite: 12.5, cacheRead: 0.25 },
  'claude-fable-5': { input: 10, output: 50, cacheWrite: 12.5, cacheRead: 1 },
  'claude-mythos-5': { input: 10, output: 50, cacheWrite: 12.5, cacheRead: 1 },
  'claude-mythos-preview': { input: 25, output: 125 },
  'claude-opus-5-5': { input: 4, output: 20, cacheWrite: 5, cacheRead: 0.2 },
  'claude-opus-5': opus45to5,
  'claude-opus-4-8': opus45to5,
  'claude-opus-4-7': opus45to5,
  'claude-opus-4-6': opus45to5,
  'claude-opus-4-5': opus45to5,
  // Sonnet 5.5 cache reads were cut to $0.10 on 2026-10-07.
  'claude-sonnet-5-5': { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.1 },
  'claude-sonnet-5': { input: 2, output: 10 },
  'claude-sonnet-4-6': sonnet4,
  'claude-sonnet-4-5': sonnet4,
  'claude-haiku-5-5': {
    input: 0.1,
    output: 0.5,
    cacheWrite: 0.125,
    cacheRead: 0.01,
    longPrompt: { aboveTokens: 100_000, price: { input: 0.5, output: 2.5, cacheWrite: 0.625, cacheRead: 0.05 } },
  },
  'claude-haiku-4-5': { input: 1, output: 5 },
};

/** Last-resort prices by family name for ids the table does not know (e.g. a newer release). */
export const FAMILY_PRICES: Readonly<Record<string, ModelPrice>> = {
  opus: { input: 5, output: 25 },
  sonnet: { input: 3, output: 15 },
  haiku: { input: 1, output: 5 },
};

/**
 * Lookup: exact id → id without a `-YYYYMMDD` date suffix → family name (opus/sonnet/haiku,
 * marked `estimated`). Fable and Mythos ids have no family fallback: their prices differ too
 * much between releases to guess.
 */
export function anthropicPrice(model: string): ResolvedPrice | undefined {
  for (const id of [model, undated(model)]) {
    const price = BUILT_IN_PRICES[id];
    if (price) return { source: id, estimated: false, price };
  }
  const family = Object.keys(FAMILY_PRICES).find((name) => model.includes(name));
  return family ? { source: family, estimated: true, price: FAMILY_PRICES[family]! } : undefined;
}

export const undated = (model: string): string => model.replace(/-\d{8}$/, '');
