import { anthropicPrice, undated } from './anthropic/prices';
import { ANTHROPIC, parseModelId } from './modelId';
import type { BuiltInPrices, ModelPrice, ResolvedPrice, TieredPrice, Usage } from './types';

/** Anthropic publishes prices the engine ships; other providers are priced by the config only. */
export const BUILT_IN: Readonly<Record<string, BuiltInPrices>> = { [ANTHROPIC]: anthropicPrice };

export class UnknownModelPriceError extends Error {
  constructor(readonly model: string) {
    super(
      `No price is known for model "${model}". Add it to .claude/orchestrator.yaml, e.g. ` +
        `pricing: { "${model}": { input: 3, output: 15 } } (USD per million tokens).`,
    );
    this.name = 'UnknownModelPriceError';
  }
}

export interface Pricing {
  /** The price of a configured model id; undefined when none is known (the budget then counts requests). */
  priceFor(id: string): ResolvedPrice | undefined;
  /** USD for `usage` on `id`; undefined when no price is known. */
  costOf(id: string, usage: Usage): number | undefined;
}

const PER_TOKEN = 1 / 1_000_000;

function checkPrice(id: string, price: ModelPrice): void {
  for (const [field, value] of Object.entries(price)) {
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
      throw new Error(
        `pricing."${id}".${field} must be a non-negative number of USD per million tokens, got ${JSON.stringify(value)}`,
      );
    }
  }
}

/** Cost in USD of one call's usage at a given price (cache prices derived when absent). */
export function costAt(price: TieredPrice, usage: Usage): number {
  const prompt = usage.input + usage.cacheWrite + usage.cacheRead;
  const p = price.longPrompt && prompt > price.longPrompt.aboveTokens ? price.longPrompt.price : price;
  const cacheWrite = p.cacheWrite ?? p.input * 1.25;
  const cacheRead = p.cacheRead ?? p.input * 0.1;
  return (
    (usage.input * p.input + usage.output * p.output + usage.cacheWrite * cacheWrite + usage.cacheRead * cacheRead) *
    PER_TOKEN
  );
}

/**
 * The config's `pricing` (keyed by the id as configured, e.g. `openai:gpt-4.1`, or by the
 * provider's model name) over the providers' built-in lists. For Claude ids a `-YYYYMMDD`
 * date suffix falls back to the undated entry.
 */
export function createPricing(
  overrides: Record<string, ModelPrice> = {},
  builtIn: Readonly<Record<string, BuiltInPrices>> = BUILT_IN,
): Pricing {
  for (const [id, price] of Object.entries(overrides)) checkPrice(id, price);

  const priceFor = (id: string): ResolvedPrice | undefined => {
    const ref = parseModelId(id);
    for (const key of new Set([ref.id, ref.model, undated(ref.model)])) {
      const price = overrides[key];
      if (price) return { source: key, estimated: false, price };
    }
    return builtIn[ref.provider]?.(ref.model);
  };

  return {
    priceFor,
    costOf: (id, usage) => {
      const resolved = priceFor(id);
      return resolved ? costAt(resolved.price, usage) : undefined;
    },
  };
}
