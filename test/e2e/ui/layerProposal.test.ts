/**
 * The model's layer proposals in the real workbench (issue 37): a Spec Kit folder whose polish
 * tasks name no file is imported and its approval declined at the gate, so the model's one
 * proposal waits in spec.md; the sidebar shows it above the spec under "Layers the model
 * proposed", the picker preselected on the proposal; the user picks another layer and clicks
 * Assign, and spec.md gives the task that layer (what `approve --assign "T020=database"` does).
 */
import * as assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { engine } from '../../../src/core/engine';
import { reply } from '../../support/messagesApiServer';
import { TestHost } from '../../support/engine/testHost';
import { openSidebar, sidebarShot, withSession } from './support/session';
import { UI_TIMEOUT_MS } from './support/limits';

test(
  "the sidebar shows the model's proposal for a task naming no file, preselected, and Assign changes it",
  { timeout: UI_TIMEOUT_MS },
  async () => {
    const layers = () =>
      reply.toolUse('propose_layers', {
        proposals: [
          { task: 'T020', layer: 'backend', reason: 'the invitation queries live in the server' },
          { task: 'T021', layer: 'not-implementable', reason: 'a newsletter, not code' },
        ],
      });
    await withSession('layer-proposal', { agents: { layers }, sidebarWidth: 560 }, async (s) => {
      const { sidebar, shop } = s;
      cpSync(
        resolve(__dirname, '../../fixtures/specs/speckit/004-trip-invitations'),
        join(shop.dir, 'specs/004-trip-invitations'),
        { recursive: true },
      );
      const imported = await engine.importSpec(shop.dir, 'specs/004-trip-invitations');
      // The gate, declined: the proposal is written into spec.md and waits.
      const host = new TestHost();
      host.confirmAnswer = false;
      await assert.rejects(
        engine.approveSpec(imported.specId, { workspace: shop.dir, host, baseURL: s.api.url, assumeYes: false }),
        /the model proposed the layer of tasks T020, T021/,
      );
      await openSidebar(s);

      await sidebar.locator(`[data-testid="spec-item"][data-spec-id="${imported.specId}"]`).click();
      await sidebar.getByTestId('layer-proposals').waitFor({ timeout: 20_000 });
      const picker = sidebar.locator('[data-testid="layer-pick"][data-task="T020"]');
      assert.equal(await picker.inputValue(), 'backend', 'preselected on the proposal');
      assert.equal(
        await sidebar.locator('[data-testid="layer-pick"][data-task="T021"]').inputValue(),
        '',
        'not implementable: no layer to preselect',
      );
      await sidebarShot(s.page, 'layer-proposal');
      await picker.selectOption('database');
      await sidebar.getByTestId('layer-pick-T020-assign').click();

      await picker.waitFor({ state: 'detached', timeout: 20_000 });
      const text = readFileSync(join(shop.dir, imported.specPath), 'utf8');
      assert.ok(
        text.includes('T020 Performance pass over the invitation queries — layer: database (chosen when approving)'),
        text,
      );
    });
  },
);
