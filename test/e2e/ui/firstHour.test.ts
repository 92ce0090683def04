/**
 * Issue 30, point 6, through the real workbench:
 * - a confirmation waiting for the user (the schema-change dialog) shows "waiting for you" with the
 *   question in the status bar, the run's badge and the asking layer's row, not "running";
 * - a run whose window reloaded mid-layer shows its layers stopped (never running) and Resume;
 * - New Feature with no API key offers the editor's models, a key or the demo, and keeps the
 *   request: dismissed, the next New Feature starts with it; with a key set from the offer, the
 *   run starts with that request.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { PRODUCT_REQUEST, productAgents } from '../../../bench/support/productFeature';
import { runCommand, waitForWorkbench } from '../harness';
import { holdLayersFirstCall } from './support/agents';
import {
  findNotification,
  newFeatureFromPalette,
  openSidebar,
  scrollSidebarTo,
  shot,
  sidebarShot,
  withSession,
} from './support/session';
import { UI_TIMEOUT_MS } from './support/limits';

test(
  'a confirmation waiting for the user shows "waiting for you" with the question, in the sidebar and the status bar',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    await withSession(
      'waiting-for-you',
      { agents: productAgents({ specNamesMigration: false }), latencyMs: 150 },
      async (s) => {
        const { page, sidebar, status } = s;
        await newFeatureFromPalette(page, PRODUCT_REQUEST);
        await sidebar.locator('[data-testid="spec-detail"][data-pending]').waitFor({ timeout: 30_000 });
        await sidebar.getByTestId('btn-approve').click();

        // The database layer's migration is a schema change the spec does not name (only its folder): the
        // engine asks, and the run waits for the user.
        const dialog = page.locator('.monaco-dialog-box', { hasText: /will change the schema/ });
        await dialog.waitFor({ state: 'visible', timeout: 30_000 });
        await status.filter({ hasText: 'waiting for you' }).waitFor({ timeout: 5000 });
        const statusText = (await status.innerText()).replace(/\s+/g, ' ').trim();
        assert.match(statusText, /Orchestrator: waiting for you: .*schema/);
        assert.doesNotMatch(statusText, /IMPLEMENT/);
        assert.match((await status.getAttribute('aria-label')) ?? (await status.innerText()), /waiting for you/);
        assert.equal(await sidebar.getByTestId('run-status').innerText(), 'waiting for you');
        assert.match(await sidebar.getByTestId('run-asking').innerText(), /Waiting for you: .*will change the schema/);
        const row = sidebar.locator('[data-testid="layer-row"][data-layer="database"][data-waiting="you"]');
        await row.waitFor({ timeout: 5000 });
        assert.equal(await row.getByTestId('layer-state').innerText(), 'waiting for you');
        assert.match(
          await row.getByTestId('layer-question').innerText(),
          /db\/migrations\/003_create_product\.sql|schema/,
        );
        assert.equal(
          await sidebar.locator('[data-testid="layer-row"][data-layer="database"] vscode-progress-ring').count(),
          0,
          'no spinner on a layer that waits for the user',
        );
        await shot(page, 'waiting-for-you');

        // Answered: running again, then done; nothing says "waiting for you" any more.
        await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Yes$/ }).first().click();
        await status.filter({ hasText: 'done' }).waitFor({ timeout: 60_000 });
        assert.equal(await sidebar.getByTestId('run-asking').count(), 0);
        assert.equal(await sidebar.locator('[data-waiting="you"]').count(), 0);
        assert.deepEqual(s.api.scriptErrors, []);
      },
    );
  },
);

test(
  'a run interrupted by a window reload shows its layers stopped, with Resume, not running',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    await withSession(
      'stale-after-reload',
      { agents: productAgents(), latencyMs: 150, hold: holdLayersFirstCall(120_000) },
      async (s) => {
        const { page, sidebar, status } = s;
        await newFeatureFromPalette(page, PRODUCT_REQUEST);
        await sidebar.locator('[data-testid="spec-detail"][data-pending]').waitFor({ timeout: 30_000 });
        await sidebar.getByTestId('btn-approve').click();
        for (const layer of ['database', 'backend']) {
          await sidebar
            .locator(`[data-testid="layer-row"][data-layer="${layer}"][data-state="running"]`)
            .waitFor({ timeout: 20_000 });
        }

        // The window goes away mid-layer and comes back.
        await page.reload({ waitUntil: 'domcontentloaded' });
        await waitForWorkbench(page);
        await openSidebar(s, 30_000);
        // The webview first paints what it showed before the reload; the host's state, rebuilt from the journal, follows.
        const panel = sidebar.locator('[data-testid="run-panel"]');
        await sidebar
          .locator(
            '[data-testid="run-panel"][data-status="interrupted"], [data-testid="run-panel"][data-status="cancelled"]',
          )
          .waitFor({ timeout: 30_000 });
        const runStatus = await panel.getAttribute('data-status');
        console.log(`after the reload the run is ${runStatus}`);
        assert.ok(['interrupted', 'cancelled'].includes(runStatus ?? ''), `run status ${runStatus}`);
        assert.equal(
          await sidebar.locator('[data-testid="layer-row"][data-state="running"]').count(),
          0,
          'a layer still shows running after the reload',
        );
        assert.equal(await sidebar.locator('[data-testid="run-panel"] vscode-progress-ring').count(), 0);
        for (const layer of ['database', 'backend']) {
          const row = sidebar.locator(`[data-testid="layer-row"][data-layer="${layer}"]`);
          assert.equal(await row.getAttribute('data-state'), 'stopped', `${layer}`);
          assert.equal(await row.getByTestId('layer-state').innerText(), 'stopped');
        }
        const resume = sidebar.getByTestId('btn-resume');
        await resume.waitFor({ timeout: 10_000 });
        assert.equal(await resume.isDisabled(), false);
        if (runStatus === 'interrupted') {
          assert.equal(await sidebar.getByTestId('run-status').innerText(), 'stopped');
          await status.filter({ hasText: 'stopped · Resume' }).waitFor({ timeout: 5000 });
        }
        await scrollSidebarTo(s, 'run-panel').catch(() => undefined);
        await sidebarShot(page, 'stale-after-reload');
      },
    );
  },
);

test(
  "New Feature without an API key offers the editor's models, a key or the demo, and keeps the request",
  { timeout: UI_TIMEOUT_MS },
  async () => {
    await withSession('no-key-offer', { agents: productAgents(), latencyMs: 150, apiKey: false }, async (s) => {
      const { page, sidebar, api } = s;
      // Typed like newFeatureFromPalette, but the offer follows in the same quick-input widget.
      await runCommand(page, 'Orchestrator: New Feature');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await page.locator('.quick-input-widget', { hasText: 'Describe the feature' }).waitFor({ timeout: 15_000 });
      await input.pressSequentially(PRODUCT_REQUEST, { delay: 5 });
      await input.press('Enter');

      // The offer, naming the request.
      const widget = page.locator('.quick-input-widget');
      await widget.filter({ hasText: 'no API key yet' }).waitFor({ timeout: 20_000 });
      const rows = widget.locator('.monaco-list-row');
      await rows.first().waitFor();
      const labels = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      console.log(`offer: ${JSON.stringify(labels)}`);
      assert.ok(
        labels.some((t) => /Use the Editor's Models/.test(t)),
        "the editor's models",
      );
      assert.ok(
        labels.some((t) => /Set an Anthropic API Key/.test(t)),
        'a key',
      );
      assert.ok(
        labels.some((t) => /Try the Demo/.test(t)),
        'the demo',
      );
      assert.match(
        (await widget.locator('.quick-input-box input').getAttribute('placeholder')) ?? '',
        /Add a Product entity.*is kept whatever you choose/,
      );
      await shot(page, 'no-key-offer');

      // Dismissed: nothing ran, and the request is kept for the next New Feature.
      await page.keyboard.press('Escape');
      await findNotification(page, /your request is kept/, 10_000);
      assert.equal(api.requests.length, 0, 'a model request without a key');
      await runCommand(page, 'Orchestrator: New Feature');
      await page.locator('.quick-input-widget', { hasText: 'Describe the feature' }).waitFor({ timeout: 15_000 });
      assert.equal(await input.inputValue(), PRODUCT_REQUEST, 'the request is back in the box');
      await input.press('Enter');

      // This time a key, from the offer: the run starts with the same request.
      await widget.filter({ hasText: 'no API key yet' }).waitFor({ timeout: 20_000 });
      await widget.locator('.monaco-list-row', { hasText: 'Set an Anthropic API Key' }).click();
      await page
        .locator('.quick-input-widget', { hasText: 'Stored in VS Code SecretStorage' })
        .waitFor({ timeout: 10_000 });
      await input.fill('test-key');
      await input.press('Enter');
      await sidebar.locator('[data-testid="spec-detail"][data-pending]').waitFor({ timeout: 30_000 });
      const first = api.requests[0];
      assert.ok(first, 'no model request after the key was set');
      assert.ok(JSON.stringify(first.body).includes(PRODUCT_REQUEST), 'the run did not get the request the user typed');
      await sidebar.getByTestId('btn-save').click();
      await sidebar.locator('[data-testid="run-panel"][data-status="spec-saved"]').waitFor({ timeout: 15_000 });
    });
  },
);
