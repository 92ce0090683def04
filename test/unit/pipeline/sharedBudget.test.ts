// A host's shared budget (the pool's team budget): asked before every model call, told every
// call's cost; once it refuses, no call of the run starts and the run stops naming the limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import type { SharedBudget } from '../../../src/core/llm/budget';
import type { ScriptedReply } from '../../support/messagesApiServer';
import { say } from '../../support/engine/agentScript';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { harness, journalOf } from '../../support/engine/harness';

test('shared budget: admitted before each call, charged after it; its refusal stops the run with the limit named and no further call', async () => {
  const usage = { input_tokens: 1000, output_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  const priced = (scripted: ScriptedReply): ScriptedReply => ({ ...scripted, usage });
  const h = await harness({
    spec: () => priced(say.spec('Product entity', 'product-entity', PRODUCT_SPEC)),
    database: ({ turn }) =>
      priced(turn === 0 ? say.write({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }) : say.done()),
    backend: ({ turn }) =>
      priced(turn === 0 ? say.write({ 'server/entities/product.js': PRODUCT_MODULE }) : say.done()),
  });
  // The team's day: $0.009 left, spent by the spec ($0.006) and one layer turn ($0.003).
  let teamSpent = 0;
  const charges: (number | undefined)[] = [];
  let asked = 0;
  const shared: SharedBudget = {
    admit: async () => {
      asked++;
      await new Promise((resolve) => setTimeout(resolve, 5)); // it may wait (a database round trip)
      return teamSpent >= 0.009 - 1e-12 ? 'limits.poolBudgetUsdPerDay' : undefined;
    },
    charge: (usd) => {
      charges.push(usd);
      teamSpent += usd ?? 0;
    },
  };
  try {
    const summary = await engine.runFeature(
      'Add a Product entity with name and price',
      h.options({ sharedBudget: shared }),
    );
    assert.equal(summary.status, 'stopped');
    const calls = h.api.requests.length;
    assert.ok(calls === 2 || calls === 3, `the spec and at most one turn per layer of the wave started (${calls})`);
    assert.equal(charges.length, calls, 'each call charged once');
    assert.ok(asked > calls, 'asked before every call, and refused after');
    assert.match(
      summary.report!,
      /^## Pipeline stopped: the team budget is spent\n- Limit: limits\.poolBudgetUsdPerDay/,
    );
    assert.match(summary.error!, /team budget is spent \(limits\.poolBudgetUsdPerDay\)/);
    const events = journalOf(h.shop, summary.runId);
    assert.equal(events.filter((e) => e.type === 'budget.exceeded').length, 1);
    assert.equal(h.callsOf('frontend').length, 0);
  } finally {
    await h.close();
  }
});
