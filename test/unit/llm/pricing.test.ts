import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILT_IN_PRICES } from '../../../src/core/llm/anthropic/prices';
import { createPricing } from '../../../src/core/llm/pricing';
import type { Usage } from '../../../src/core/llm/types';

const million = (u: Partial<Usage>): Usage => ({ input: 0, output: 0, cacheWrite: 0, cacheRead: 0, ...u });
const near = (actual: number | undefined, expected: number, what = ''): void =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${what} ${actual} ≠ ${expected}`);
const builtIn = createPricing();
const costOf = (id: string, usage: Usage) => builtIn.costOf(id, usage);

test('every current model id of the SDK Model type has a price, dated ids included', () => {
  const ids = [
    'claude-fable-5-2',
    'claude-mythos-5-2',
    'claude-haiku-5-5',
    'claude-sonnet-5-5',
    'claude-fable-5-1',
    'claude-opus-5-5',
    'claude-mythos-5-1',
    'claude-sonnet-5',
    'claude-fable-5',
    'claude-mythos-5',
    'claude-opus-5',
    'claude-opus-4-8',
    'claude-opus-4-7',
    'claude-mythos-preview',
    'claude-opus-4-6',
    'claude-sonnet-4-6',
    'claude-haiku-4-5',
    'claude-haiku-4-5-20251001',
    'claude-opus-4-5',
    'claude-opus-4-5-20251101',
    'claude-sonnet-4-5',
    'claude-sonnet-4-5-20250929',
  ];
  for (const id of ids) {
    const resolved = builtIn.priceFor(id);
    assert.ok(resolved, id);
    assert.equal(resolved.estimated, false, id);
    assert.ok(resolved.price.input > 0 && resolved.price.output > resolved.price.input, id);
  }
  assert.equal(builtIn.priceFor('claude-sonnet-4-5-20250929')?.source, 'claude-sonnet-4-5');
  assert.equal(
    builtIn.priceFor('anthropic:claude-sonnet-4-5')?.source,
    'claude-sonnet-4-5',
    'the explicit prefix prices alike',
  );
});

test('input and output are charged per million tokens; cache write 1.25× and read 0.1× input when not listed', () => {
  near(costOf('claude-sonnet-4-6', million({ input: 1_000_000 })), 3);
  near(costOf('claude-sonnet-4-6', million({ output: 1_000_000 })), 15);
  near(costOf('claude-sonnet-4-6', million({ cacheWrite: 1_000_000 })), 3.75);
  near(costOf('claude-sonnet-4-6', million({ cacheRead: 1_000_000 })), 0.3);
  near(
    costOf('claude-opus-4-8', million({ input: 2000, output: 1000, cacheWrite: 4000, cacheRead: 10_000 })),
    (2000 * 5 + 1000 * 25 + 4000 * 6.25 + 10_000 * 0.5) / 1e6,
  );
  near(costOf('claude-haiku-4-5', million({ input: 1_000_000, output: 1_000_000 })), 6);
});

test('models whose published cache prices differ from the ratios use the listed figures', () => {
  assert.deepEqual(BUILT_IN_PRICES['claude-opus-5-5'], { input: 4, output: 20, cacheWrite: 5, cacheRead: 0.2 });
  near(costOf('claude-opus-5-5', million({ cacheRead: 1_000_000 })), 0.2);
  near(costOf('claude-fable-5-1', million({ cacheRead: 1_000_000 })), 0.25);
});

test('Haiku 5.5 charges its higher tier on every token once the prompt exceeds 100k tokens', () => {
  near(costOf('claude-haiku-5-5', million({ input: 100_000, output: 1000 })), (100_000 * 0.1 + 1000 * 0.5) / 1e6);
  near(
    costOf('claude-haiku-5-5', million({ input: 60_000, cacheRead: 50_000, output: 1000 })),
    (60_000 * 0.5 + 50_000 * 0.05 + 1000 * 2.5) / 1e6,
  );
});

test('config pricing extends and overrides the built-ins, deriving cache prices from input', () => {
  const pricing = createPricing({
    'my-proxy-model': { input: 2, output: 8 },
    'claude-sonnet-4-6': { input: 1, output: 2, cacheRead: 0.05 },
  });
  near(
    pricing.costOf('my-proxy-model', million({ input: 1e6, output: 1e6, cacheWrite: 1e6, cacheRead: 1e6 })),
    2 + 8 + 2.5 + 0.2,
  );
  near(pricing.costOf('claude-sonnet-4-6', million({ cacheWrite: 1e6, cacheRead: 1e6 })), 1.25 + 0.05);
  near(
    pricing.costOf('claude-sonnet-4-6-20260101', million({ input: 1e6 })),
    1,
    'a dated id takes the undated override',
  );
  near(costOf('claude-sonnet-4-6', million({ input: 1e6 })), 3, 'the default table is untouched');
  assert.throws(
    () => createPricing({ bad: { input: -1, output: 2 } }),
    /pricing\."bad"\.input must be a non-negative number/,
  );
  assert.throws(() => createPricing({ bad: { input: 1, output: Number.NaN } }), /pricing\."bad"\.output/);
});

test('other providers are priced by the config only: by the configured id or by the model name', () => {
  const pricing = createPricing({
    'openai:gpt-test': { input: 2, output: 8 },
    'qwen3-coder': { input: 0.5, output: 1 },
  });
  near(pricing.costOf('openai:gpt-test', million({ input: 1e6 })), 2);
  near(pricing.costOf('openai:qwen3-coder', million({ output: 1e6 })), 1);
  assert.equal(pricing.priceFor('openai:gpt-sonnet-like'), undefined, 'no family guess outside Anthropic');
  assert.equal(pricing.costOf('vscode-lm:copilot/gpt-4o', million({ input: 1e6 })), undefined);
});

test('an unknown Claude id falls back to its family price (marked estimated), else it has none', () => {
  const guess = builtIn.priceFor('claude-sonnet-7');
  assert.equal(guess?.estimated, true);
  assert.equal(guess?.source, 'sonnet');
  assert.deepEqual([guess?.price.input, guess?.price.output], [3, 15]);
  assert.deepEqual(
    [builtIn.priceFor('claude-opus-9-1')?.price.input, builtIn.priceFor('claude-haiku-6')?.price.output],
    [5, 5],
  );
  assert.equal(builtIn.priceFor('gpt-zz'), undefined);
  assert.equal(builtIn.priceFor('claude-fable-9'), undefined);
});
