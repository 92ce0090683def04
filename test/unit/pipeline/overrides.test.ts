import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../../../src/core/project/config/config';
import { applyOverrides } from '../../../src/core/pipeline/run/runSetup';

test('host settings override the file, unset keys keep the file values', () => {
  const base = defaultConfig();
  const merged = applyOverrides(base, {
    models: { agents: { backend: 'claude-haiku-5-5' } },
    limits: { maxBudgetUsd: 0.5 },
  });
  assert.equal(merged.limits.maxBudgetUsd, 0.5);
  assert.equal(merged.limits.maxRetries, base.limits.maxRetries);
  assert.equal(merged.models.default, base.models.default);
  assert.equal(merged.models.agents.backend, 'claude-haiku-5-5');
  assert.equal(merged.models.agents.review, base.models.agents.review, 'the review model survives an agents override');
  assert.equal(base.limits.maxBudgetUsd, 5, 'the loaded config is not mutated');
});

test('no overrides returns the config unchanged', () => {
  const base = defaultConfig();
  assert.equal(applyOverrides(base, undefined), base);
});
