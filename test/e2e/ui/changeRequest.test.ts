/**
 * Request change during a run (issue 23), like a user: New Feature → approve the spec → while
 * the first wave works (the database's first reply is held back), type a change request in the
 * sidebar and send it → between the waves the spec agent's amendment waits in the sidebar →
 * approve it → the backend runs again in FIX mode, the database does not → the run completes,
 * and the matrix marks the requirement the amendment added as changed.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PRODUCT_MODULE, PRODUCT_REQUEST, productAgents } from '../../../bench/support/productFeature';
import { say, type AgentScript } from '../../../bench/support/scriptedAgents';
import { PRODUCT_SPEC } from '../../support/productFeature';
import { newFeatureFromPalette, scrollSidebarTo, shot, withSession } from './support/session';
import { UI_TIMEOUT_MS } from './support/limits';

const REQUEST = 'Add a search by name to the Product module';
const AMENDED = PRODUCT_SPEC.replace(
  '### API Contracts',
  '#### REQ-3: Search products by name\n**Acceptance criteria**\n- REQ-3.1: WHEN the Product module is asked to search with a name THE module SHALL return every product whose name contains it.\n\n### API Contracts',
).replace(
  'listing products (REQ-2)',
  'listing products (REQ-2)\n4. [ ] Backend: server/entities/product.js search(name) (REQ-3)',
);
const SEARCH_MODULE = PRODUCT_MODULE.replace(
  'module.exports = { meta, validate, list, get, create };',
  'function search(name) {\n  return list().filter((p) => p.name.includes(name));\n}\n\nmodule.exports = { meta, validate, list, get, create, search };',
);

function agents(): Record<string, AgentScript> {
  const base = productAgents();
  return {
    ...base,
    spec: (call) =>
      call.task.includes('CHANGE REQUEST (amendment')
        ? say.spec('Product entity', 'product-entity', AMENDED)
        : base.spec!(call),
    backend: (call) => {
      if (!call.task.includes('FIX MODE: THE APPROVED SPEC WAS AMENDED')) return base.backend!(call);
      return call.turn === 0
        ? say.write({ 'server/entities/product.js': SEARCH_MODULE })
        : say.done('search(name) added.');
    },
  };
}

test(
  'Request change during a run → approve the amendment → the run completes, the matrix shows the change',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    await withSession(
      'change-request',
      {
        agents: agents(),
        latencyMs: 150,
        hold: (c) => (c.agent === 'database' && c.turn === 0 && c.attempt === 1 ? 8000 : undefined),
      },
      async (s) => {
        const { page, sidebar, status } = s;
        await newFeatureFromPalette(page, PRODUCT_REQUEST);
        await sidebar.locator('[data-testid="spec-detail"][data-pending]').waitFor({ timeout: 30_000 });
        await sidebar.getByTestId('btn-approve').click();

        // Wave 1 going: the change request box is there; the request goes to the run.
        await sidebar
          .locator('[data-testid="layer-row"][data-layer="database"][data-state="running"]')
          .waitFor({ timeout: 20_000 });
        const box = sidebar.locator('[data-testid="change-input"] textarea');
        await box.waitFor({ timeout: 10_000 });
        await box.fill(REQUEST);
        await sidebar.getByTestId('btn-request-change').click();

        // The migration is a schema change the approved spec names: its approval confirmed it, nothing is asked.

        // Between the waves, the amendment waits for approval in the sidebar, like any spec.
        const amendment = sidebar.locator('[data-testid="spec-detail"][data-pending]');
        await amendment.waitFor({ timeout: 45_000 });
        await sidebar
          .locator('[data-testid="spec-body"]', { hasText: 'REQ-3: Search products by name' })
          .waitFor({ timeout: 10_000 });
        await shot(page, 'change-request-amendment').catch(() => undefined);
        await sidebar.getByTestId('btn-approve').click();

        await status.filter({ hasText: 'done' }).waitFor({ timeout: 60_000 });
        await sidebar.locator('[data-testid="run-panel"][data-status="completed"]').waitFor({ timeout: 10_000 });
        const changed = sidebar.locator('[data-testid="trace-changed"][data-requirement="REQ-3"]');
        await changed.waitFor({ timeout: 10_000 });
        assert.match(await changed.innerText(), /changed v2/);
        await scrollSidebarTo(s, 'trace-panel').catch(() => undefined);
        await shot(page, 'change-request-matrix').catch(() => undefined);

        assert.match(readFileSync(join(s.shop.dir, 'server/entities/product.js'), 'utf8'), /function search\(name\)/);
        const firstCalls = (agent: string) => s.calls.filter((c) => c.agent === agent && c.turn === 0).length;
        assert.equal(firstCalls('database'), 1, 'the finished database layer got no new request');
        assert.ok(
          s.calls.some(
            (c) =>
              c.agent === 'backend' &&
              c.task.includes('FIX MODE: THE APPROVED SPEC WAS AMENDED') &&
              c.task.includes(REQUEST),
          ),
        );
        assert.deepEqual(s.api.scriptErrors, []);
      },
    );
  },
);
