import type { ModelPrice, Usage } from './types';

/**
 * Model prices in USD per million tokens, from Anthropic's published pricing page (checked
 * 2026-10). `cacheWrite` is the 5-minute write price (this client only writes 5-minute
 * entries); when a price leaves it out it is 1.25× input, and `cacheRead` is 0.1× input.
 * Several current models deviate from those ratios, so they list the real figures.
 */
export interface TieredPrice extends ModelPrice {
  /** A higher rate for every token of a request whose prompt (input + cache) exceeds the threshold. */
  longPrompt?: { aboveTokens: number; price: ModelPrice };
}

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

export class UnknownModelPriceError extends Error {
  constructor(readonly model: string) {
    super(
      `No price is known for model "${model}". Add it to .claude/orchestrator.yaml, e.g. ` +
        `pricing: { "${model}": { input: 3, output: 15 } } (USD per million tokens).`,
    );
    this.name = 'UnknownModelPriceError';
  }
}

export interface ResolvedPrice {
  /** The table entry (or family) that priced the model. */
  source: string;
  /** True when only the family name matched, so the figure is a guess. */
  estimated: boolean;
  price: TieredPrice;
}

export interface Pricing {
  /** Throws UnknownModelPriceError when neither an id, its undated form, nor a family matches. */
  priceFor(model: string): ResolvedPrice;
  costOf(model: string, usage: Usage): number;
}

const PER_TOKEN = 1 / 1_000_000;

function checkPrice(id: string, price: ModelPrice): void {
  for (const [field, value] of Object.entries(price)) {
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
      throw new Error(`pricing."${id}".${field} must be a non-negative number of USD per million tokens, got ${JSON.stringify(value)}`);
    }
  }
}

/** Cost in USD of one call's usage at a given price (cache prices derived when absent). */
export function costAt(price: TieredPrice, usage: Usage): number {
  const promptTokens = usage.input + usage.cacheWrite + usage.cacheRead;
  const p = price.longPrompt && promptTokens > price.longPrompt.aboveTokens ? price.longPrompt.price : price;
  const cacheWrite = p.cacheWrite ?? p.input * 1.25;
  const cacheRead = p.cacheRead ?? p.input * 0.1;
  return (usage.input * p.input + usage.output * p.output + usage.cacheWrite * cacheWrite + usage.cacheRead * cacheRead) * PER_TOKEN;
}

/**
 * Prices from the built-in table extended (and overridden, per id) by the config's `pricing`.
 * Lookup: exact id → id without a `-YYYYMMDD` date suffix → family name (opus/sonnet/haiku,
 * marked `estimated`) → UnknownModelPriceError. Fable and Mythos ids have no family fallback:
 * their prices differ too much between releases to guess.
 */
export function createPricing(overrides: Record<string, ModelPrice> = {}): Pricing {
  for (const [id, price] of Object.entries(overrides)) checkPrice(id, price);
  const table: Record<string, TieredPrice> = { ...BUILT_IN_PRICES, ...overrides };

  const priceFor = (model: string): ResolvedPrice => {
    const undated = model.replace(/-\d{8}$/, '');
    for (const id of [model, undated]) {
      const price = table[id];
      if (price) return { source: id, estimated: false, price };
    }
    const family = Object.keys(FAMILY_PRICES).find((name) => model.includes(name));
    if (family) return { source: family, estimated: true, price: FAMILY_PRICES[family]! };
    throw new UnknownModelPriceError(model);
  };

  return {
    priceFor,
    costOf: (model, usage) => costAt(priceFor(model).price, usage),
  };
}

const builtIn = createPricing();

/** Cost in USD of `usage` on `model`, with the given pricing or the built-in table. */
export function costOf(model: string, usage: Usage, pricing: Pricing = builtIn): number {
  return pricing.costOf(model, usage);
}
