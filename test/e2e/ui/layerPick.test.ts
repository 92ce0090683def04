/**
 * The layer picker of an imported spec in the real workbench: a Kiro folder whose task names no
 * file and points to no layer is imported; the sidebar lists the task with a layer picker under
 * the spec; the user picks `frontend` and clicks Assign, and spec.md gives the task that layer
 * (what `approve <folder> --assign "4=frontend"` does in the CLI).
 */
import * as assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { engine } from '../../../src/core/engine';
import { openSidebar, sidebarShot, withSession } from './support/session';
import { UI_TIMEOUT_MS } from './support/limits';

test('a task marked "no layer" gets its layer from the picker under the spec', { timeout: UI_TIMEOUT_MS }, async () => {
  await withSession('layer-pick', { agents: {}, sidebarWidth: 560 }, async (s) => {
    const { sidebar, shop } = s;
    cpSync(resolve(__dirname, '../../fixtures/specs/kiro/cart-zh'), join(shop.dir, '.kiro/specs/cart-zh'), {
      recursive: true,
    });
    const imported = await engine.importSpec(shop.dir, '.kiro/specs/cart-zh');
    await openSidebar(s);

    await sidebar.locator(`[data-testid="spec-item"][data-spec-id="${imported.specId}"]`).click();
    const picker = sidebar.locator('[data-testid="layer-pick"][data-task="4"]');
    await picker.waitFor({ timeout: 20_000 });
    assert.deepEqual(await picker.locator('option').allInnerTexts(), [
      'Pick a layer…',
      'database',
      'backend',
      'frontend',
    ]);
    await sidebarShot(s.page, 'layer-pick');
    await picker.selectOption('frontend');
    await sidebar.getByTestId('layer-pick-4-assign').click();

    await picker.waitFor({ state: 'detached', timeout: 20_000 });
    const text = readFileSync(join(shop.dir, imported.specPath), 'utf8');
    assert.ok(
      text.includes(
        '4 在商店博客上发布目录公告 (REQ-2) — optional in the source — layer: frontend (chosen when approving)',
      ),
      text,
    );
  });
});
