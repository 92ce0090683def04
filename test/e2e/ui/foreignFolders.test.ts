/**
 * Kiro folders in the real sidebar: listed with the specs before anything is imported (counts
 * and state in a badge); one without tasks.md shows why it cannot be imported, with no Import
 * button; a ready one, selected, shows its requirements.md and Import and approve…, whose
 * click imports it (the Import command's notification offers Approve and Implement) and the
 * list then shows the spec awaiting approval instead of the folder. No model is asked.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CART, NO_TASKS, kiroCart, kiroNoTasks } from '../../support/foreignSpecFolders';
import { findNotification, openSidebar, sidebarShot, withSession } from './support/session';
import { UI_TIMEOUT_MS } from './support/limits';

test(
  'Kiro folders: listed before import; one without tasks.md says why; Import and approve… imports a ready one',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    await withSession(
      'foreign-folders',
      { agents: {}, sidebarWidth: 560, shop: { files: { ...kiroCart(), ...kiroNoTasks() } } },
      async (s) => {
        const { page, sidebar } = s;
        await openSidebar(s);
        const item = (id: string) => sidebar.locator(`[data-testid="spec-item"][data-spec-id="${id}"]`);
        await item(CART).waitFor({ timeout: 20_000 });
        assert.equal(
          (await item(CART).getByTestId('spec-foreign').innerText()).trim(),
          'Kiro · ready to import · 2 req · 3 tasks (1 done)',
        );
        assert.match(await item(CART).innerText(), /Shopping cart/);
        assert.equal(
          (await item(NO_TASKS).getByTestId('spec-foreign').innerText()).trim(),
          'Kiro · no tasks.md yet · 1 req',
        );

        // Not ready: why, and no Import button.
        await item(NO_TASKS).click();
        await sidebar.locator(`[data-testid="spec-detail"][data-spec-id="${NO_TASKS}"]`).waitFor({ timeout: 10_000 });
        assert.match(
          await sidebar.getByTestId('spec-refusal').innerText(),
          /has no tasks\.md yet: let Kiro write the task list/,
        );
        assert.equal(await sidebar.getByTestId('btn-import-folder').count(), 0);

        // Ready: its requirements.md, then Import and approve….
        await item(CART).click();
        await sidebar.locator(`[data-testid="spec-detail"][data-spec-id="${CART}"]`).waitFor({ timeout: 10_000 });
        assert.match(await sidebar.getByTestId('spec-body').innerText(), /Requirement 1: Add to cart/);
        await sidebarShot(page, 'foreign-folder');
        await sidebar.getByTestId('btn-import-folder').click();
        const note = await findNotification(page, /imported the Kiro spec \.kiro\/specs\/cart as/, 30_000);
        const noteText = await note.innerText();
        assert.match(noteText, /2 requirement\(s\), 3 task\(s\)/);
        assert.match(noteText, /Approve and Implement/);

        // The list shows the spec awaiting approval, not the folder; the folder without tasks.md stays.
        await sidebar
          .locator('[data-testid="spec-item"][data-status="awaiting-approval"]', { hasText: 'Shopping cart' })
          .waitFor({ timeout: 20_000 });
        await item(CART).waitFor({ state: 'detached', timeout: 10_000 });
        await item(NO_TASKS).waitFor({ timeout: 5000 });
        assert.ok(existsSync(join(s.shop.dir, CART, 'tasks.md')), 'the folder itself is left as it was');
        assert.equal(s.calls.length, 0, 'no model was asked');
      },
    );
  },
);
