/**
 * Mustard's spec folders in the real sidebar: listed with Mustard's stage and outcome, a
 * completed one shown with why it cannot be approved (no Approve button), and an unfinished
 * one approved from the sidebar (the orchestrator's own confirmation still asked, Mustard's
 * marker notwithstanding) and implemented to done with its waves kept.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PRODUCT_SCREEN, productAgents } from '../../../bench/support/productFeature';
import { OPEN_SLUG, openWavePlan, otherFolders } from '../../support/mustardSpecFolders';
import { answerModal, openSidebar, shot, sleep, withSession } from './support/session';
import { UI_TIMEOUT_MS } from './support/limits';

const OPEN = `.claude/spec/${OPEN_SLUG}`;

test(
  'Mustard folders: listed with stage and outcome; a completed one refused; an open one approved and implemented',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    await withSession(
      'mustard',
      { agents: productAgents(), latencyMs: 100, shop: { files: { ...openWavePlan(), ...otherFolders() } } },
      async (s) => {
        const { page, sidebar, status } = s;
        await openSidebar(s);
        const item = (id: string) => sidebar.locator(`[data-testid="spec-item"][data-spec-id="${id}"]`);
        await item(OPEN).waitFor({ timeout: 20_000 });
        assert.equal(
          (await item(OPEN).getByTestId('spec-mustard').innerText()).trim(),
          'Mustard Execute · Active · 0/3 waves done',
        );
        assert.match(await item(OPEN).innerText(), /Catálogo de produtos/);
        assert.equal(
          (await item('.claude/spec/2026-06-10-login').getByTestId('spec-mustard').innerText()).trim(),
          'Mustard Close · Completed',
        );

        // A completed folder: its spec.md, why it cannot run, and no Approve button.
        await item('.claude/spec/2026-06-10-login').click();
        await sidebar
          .locator('[data-testid="spec-detail"][data-spec-id=".claude/spec/2026-06-10-login"]')
          .waitFor({ timeout: 10_000 });
        assert.match(
          await sidebar.getByTestId('spec-refusal').innerText(),
          /finished in Mustard \(stage Close, outcome Completed\)/,
        );
        assert.equal(await sidebar.getByTestId('spec-detail').getByTestId('btn-approve').count(), 0);

        // The open folder: Approve asks the orchestrator's own question; its plan names the migration, so
        // the approval is the schema change's confirmation (issue 44): nothing more is asked.
        await item(OPEN).click();
        await sidebar.locator(`[data-testid="spec-detail"][data-spec-id="${OPEN}"]`).waitFor({ timeout: 10_000 });
        assert.match(await sidebar.getByTestId('spec-body').innerText(), /O catálogo permite cadastrar produtos/);
        await shot(page, 'mustard-folder');
        await sidebar.getByTestId('spec-detail').getByTestId('btn-approve').click();
        await answerModal(page, `Implement spec ${OPEN}?`, 'Implement');
        await status.filter({ hasText: 'done' }).waitFor({ timeout: 60_000 });
        await sidebar.locator('[data-testid="run-panel"][data-status="completed"]').waitFor({ timeout: 10_000 });
        for (const layer of ['database', 'backend', 'frontend'])
          await sidebar
            .locator(`[data-testid="layer-row"][data-layer="${layer}"][data-state="passed"]`)
            .waitFor({ timeout: 5000 });
        assert.equal(readFileSync(join(s.shop.dir, 'web/src/products.js'), 'utf8'), PRODUCT_SCREEN);
        assert.equal(s.calls.filter((c) => c.agent === 'spec').length, 0, 'the folder is the spec');
        // The imported spec is listed as completed; Mustard's folder is still listed as it was.
        await sidebar
          .locator('[data-testid="spec-item"][data-status="completed"]', { hasText: 'Catálogo de produtos' })
          .waitFor({ timeout: 10_000 });
        await item(OPEN).waitFor({ timeout: 5000 });
        assert.deepEqual(s.api.scriptErrors, []);

        // Mustard closes its folder later: the list follows its meta.json (the run's own refreshes are over by then).
        await sleep(3000);
        writeFileSync(
          join(s.shop.dir, OPEN, 'meta.json'),
          JSON.stringify({ stage: 'Close', outcome: 'Completed', completedWaves: [1, 2, 3] }),
        );
        await item(OPEN)
          .getByTestId('spec-mustard')
          .filter({ hasText: 'Mustard Close · Completed · 3/3 waves done' })
          .waitFor({ timeout: 15_000 });
      },
    );
  },
);
