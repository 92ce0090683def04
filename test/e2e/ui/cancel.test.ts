/**
 * Cancel during IMPLEMENT from the sidebar: every layer's first model call is held back by a
 * long slow reply, so the run is inside IMPLEMENT with two calls in flight (database ∥ backend)
 * when the user clicks Cancel. The run panel then says cancelled, the in-flight calls are
 * abandoned by the client, and no model request arrives after the click.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { PRODUCT_REQUEST, productAgents } from '../../../bench/support/productFeature';
import { holdLayersFirstCall } from './support/agents';
import { newFeatureFromPalette, shot, sleep, withSession } from './support/session';
import { UI_TIMEOUT_MS } from './support/limits';

const HOLD_MS = 120_000;

test('Cancel during IMPLEMENT stops the run and its model calls', { timeout: UI_TIMEOUT_MS }, async () => {
  await withSession(
    'cancel',
    { agents: productAgents(), latencyMs: 150, hold: holdLayersFirstCall(HOLD_MS) },
    async (s) => {
      const { page, sidebar, status, api, calls } = s;
      await newFeatureFromPalette(page, PRODUCT_REQUEST);
      await sidebar.locator('[data-testid="spec-detail"][data-pending]').waitFor({ timeout: 30_000 });
      await sidebar.getByTestId('btn-approve').click();

      // Wave 1 running, both of its layers waiting on their held first reply.
      await status.filter({ hasText: /^\s*IMPLEMENT/ }).waitFor({ timeout: 20_000 });
      for (const layer of ['database', 'backend']) {
        await sidebar
          .locator(`[data-testid="layer-row"][data-layer="${layer}"][data-state="running"]`)
          .waitFor({ timeout: 15_000 });
      }
      for (const end = Date.now() + 15_000; ; await sleep(50)) {
        const held = calls.filter((c) => (c.agent === 'database' || c.agent === 'backend') && c.turn === 0);
        if (held.length === 2) break;
        if (Date.now() > end)
          throw new Error(
            `the layers' first calls did not arrive: ${JSON.stringify(calls.map((c) => [c.agent, c.turn]))}`,
          );
      }
      const before = api.requests.length;
      const cancelledAt = Date.now();

      await sidebar.getByTestId('btn-cancel').click();

      const panel = sidebar.locator('[data-testid="run-panel"]');
      await sidebar
        .locator('[data-testid="run-panel"][data-status="cancelled"], [data-testid="run-panel"][data-status="stopped"]')
        .waitFor({ timeout: 15_000 });
      const finalStatus = await panel.getAttribute('data-status');
      const tStopped = Date.now() - cancelledAt;
      await status.filter({ hasText: /cancelled|stopped/ }).waitFor({ timeout: 5000 });
      // The held calls were abandoned by the client (the server's waits ended because the sockets closed).
      const idle = await Promise.race([api.idle().then(() => true), sleep(10_000).then(() => false)]);
      assert.ok(idle, 'the held model calls are still open 10 s after the cancel');
      // No layer is left running, no Cancel button is left.
      assert.equal(await sidebar.locator('[data-testid="layer-row"][data-state="running"]').count(), 0);
      assert.equal(await sidebar.getByTestId('btn-cancel').count(), 0);
      assert.ok(
        (await sidebar.locator('[data-testid="layer-row"][data-state="cancelled"]').count()) >= 1,
        'the interrupted layers show as cancelled',
      );

      // Nothing calls the model any more.
      await sleep(3000);
      const after = api.requests.filter((r) => r.time >= cancelledAt);
      assert.deepEqual(
        after.map((r) => r.index),
        [],
        `model requests after the cancel: ${after.length}`,
      );
      assert.equal(api.requests.length, before);
      assert.deepEqual(api.scriptErrors, []);
      await shot(page, 'cancel');
      console.log(`run ${finalStatus} ${tStopped} ms after the click; ${before} model requests, none after the cancel`);
    },
  );
});
