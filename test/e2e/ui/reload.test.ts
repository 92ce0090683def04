/**
 * The sidebar survives a window reload: after a spec saved for later, and again after that
 * spec was approved and implemented, reloading the page shows the same spec and run state
 * (the webview restores its persisted state, the host rebuilds the run from its journal).
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { PRODUCT_REQUEST, productAgents } from '../../../bench/support/productFeature';
import { waitForWorkbench } from '../harness';
import {
  STATUS_DOM_ID,
  answerModal,
  newFeatureFromPalette,
  openSidebar,
  shot,
  withSession,
  type Session,
} from './support/session';
import { UI_TIMEOUT_MS } from './support/limits';

interface SidebarState {
  run: { status: string | null; runId: string | null; title: string };
  layers: string[];
  review: string | null;
  specs: string[];
  selectedSpec: string | null;
  specTitle: string | null;
  status: string;
}

/** What the user sees, reduced to comparable facts. */
async function sidebarState(sidebar: FrameLocator, page: Page): Promise<SidebarState> {
  const panel = sidebar.getByTestId('run-panel');
  const detail = sidebar.getByTestId('spec-detail');
  const hasDetail = (await detail.count()) > 0;
  return {
    run: {
      status: await panel.getAttribute('data-status'),
      runId: await panel.getAttribute('data-run-id'),
      title: (await panel.locator('h2 .title').innerText()).trim(),
    },
    layers: (
      await sidebar
        .locator('[data-testid="layer-row"]')
        .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-layer')}=${r.getAttribute('data-state')}`))
    ).sort(),
    review:
      (await sidebar.getByTestId('review-panel').count()) > 0
        ? await sidebar.getByTestId('review-panel').getAttribute('data-verdict')
        : null,
    specs: (await sidebar.locator('[data-testid="spec-item"]').allInnerTexts()).map((t) =>
      t.replace(/\s+/g, ' ').trim(),
    ),
    selectedSpec: hasDetail ? await detail.getAttribute('data-spec-id') : null,
    specTitle: hasDetail ? (await detail.locator('h2').first().innerText()).replace(/\s+/g, ' ').trim() : null,
    status: (await page.locator(`.statusbar-item[id="${STATUS_DOM_ID}"]`).innerText()).trim(),
  };
}

/** Reloads the page, waits for the workbench and the Orchestrator's sidebar with the host's state. */
async function reloadWindow(s: Session, expectStatus: string): Promise<number> {
  const t = performance.now();
  await s.page.reload({ waitUntil: 'domcontentloaded' });
  await waitForWorkbench(s.page);
  await openSidebar(s, 30_000);
  // The host answers the webview's `ready` with its state (lists, run from its journal).
  await s.sidebar.locator(`[data-testid="run-panel"][data-status="${expectStatus}"]`).waitFor({ timeout: 20_000 });
  await s.status.filter({ hasText: expectStatus === 'completed' ? 'done' : 'spec saved' }).waitFor({ timeout: 10_000 });
  return performance.now() - t;
}

/** The host's refreshes (lists, the shown spec) land one after another: compare until equal or timeout. */
async function expectSameState(s: Session, expected: SidebarState, timeoutMs = 8000): Promise<SidebarState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const actual = await sidebarState(s.sidebar, s.page);
    try {
      assert.deepEqual(actual, expected);
      return actual;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await s.page.waitForTimeout(200);
    }
  }
}

test('the sidebar shows the same spec and run after a window reload', { timeout: UI_TIMEOUT_MS }, async () => {
  await withSession('reload', { agents: productAgents(), latencyMs: 150 }, async (s) => {
    const { page, sidebar, status } = s;

    // 1. A spec saved for later.
    await newFeatureFromPalette(page, PRODUCT_REQUEST);
    await sidebar.locator('[data-testid="spec-detail"][data-pending]').waitFor({ timeout: 30_000 });
    await sidebar.getByTestId('btn-save').click();
    await sidebar.locator('[data-testid="run-panel"][data-status="spec-saved"]').waitFor({ timeout: 15_000 });
    await status.filter({ hasText: 'spec saved' }).waitFor({ timeout: 5000 });
    await sidebar.locator('[data-testid="spec-detail"]:not([data-pending])').waitFor({ timeout: 5000 });
    await sidebar.locator('[data-testid="spec-item"]', { hasText: 'saved' }).waitFor({ timeout: 5000 });
    const saved = await sidebarState(sidebar, page);
    console.log(`before reload (saved spec): ${JSON.stringify(saved)}`);
    assert.equal(saved.run.status, 'spec-saved');
    assert.ok(saved.selectedSpec, 'the saved spec is shown');

    const ms1 = await reloadWindow(s, 'spec-saved');
    const afterSaved = await expectSameState(s, saved);
    console.log(`after reload (saved spec, ${(ms1 / 1000).toFixed(1)} s): ${JSON.stringify(afterSaved)}`);
    await shot(page, 'reload-saved-spec');
    assert.match(await sidebar.getByTestId('spec-body').innerText(), /Spec: Product entity/);

    // 2. Approve the saved spec from the sidebar, let it finish.
    await sidebar.getByTestId('btn-approve').click();
    // Not the spec waiting for a decision: the sidebar asks before starting a run.
    await answerModal(page, /Implement spec .*product-entity\?/, 'Implement');
    await status.filter({ hasText: 'done' }).waitFor({ timeout: 45_000 });
    await sidebar.locator('[data-testid="run-panel"][data-status="completed"]').waitFor({ timeout: 10_000 });
    await sidebar.locator('[data-testid="spec-item"]', { hasText: 'completed' }).waitFor({ timeout: 5000 });
    await sidebar.locator('[data-testid="spec-detail"]', { hasText: 'completed' }).waitFor({ timeout: 5000 });
    const done = await sidebarState(sidebar, page);
    console.log(`before reload (finished run): ${JSON.stringify(done)}`);
    assert.equal(done.review, 'approved');
    assert.deepEqual(done.layers, ['backend=passed', 'database=passed', 'frontend=passed', 'review=passed']);

    const ms2 = await reloadWindow(s, 'completed');
    const afterDone = await expectSameState(s, done);
    console.log(`after reload (finished run, ${(ms2 / 1000).toFixed(1)} s): ${JSON.stringify(afterDone)}`);
    await shot(page, 'reload-finished-run');
    assert.deepEqual(s.api.scriptErrors, []);
  });
});
