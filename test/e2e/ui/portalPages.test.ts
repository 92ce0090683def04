// The portal's pages as a supervisor meets them (issue 30, point 7), in Chromium with axe-core on
// each: the signed-out page shows only the sign-in; the task list says statuses in words and times
// as local times; a task's artifact header names its file (never "[object Object]") and the message
// box and the review box are labelled apart; Accounts' row actions sit on their rows; and the Specs
// page lists a spec waiting for approval, which the supervisor approves (recorded with who).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { createSpec, loadSpec } from '../../../src/core/project/specs/specs';
import { CUSTOMER_SPEC, PRODUCT_MODULE } from '../../support/engine/fixtures';
import { accessible, portalInChromium, shots, signIn } from './support/portalBrowser';
import { UI_TIMEOUT_MS } from './support/limits';

const TARGET = 'server/entities/product.js';

const portal = portalInChromium();

async function rendered(page: Page, hash: string): Promise<void> {
  const before = await page.locator('main').getAttribute('data-rendered');
  await page.evaluate((h) => (location.hash = h), hash);
  await page.waitForFunction((b) => document.querySelector('main')?.dataset.rendered !== b, before);
}

test(
  'signed out, the task list, a task, accounts and specs: what each page shows, and axe-core finds no missing label nor critical violation',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    const { browser, world } = portal;
    const task = await world.queue.createTask({ title: 'Product entity' }, 'cli');
    await world.queue.claim(task.id, 'claude#1');
    await world.queue.sendMessage(task.id, 'claude#1', 'Working on it');
    await world.queue.submitArtifact(
      { task_id: task.id, type: 'code', path: TARGET, content: PRODUCT_MODULE },
      'claude#1',
    );
    const spec = await createSpec(world.shop.dir, {
      title: 'Trim customer names',
      kind: 'feature',
      layers: ['backend'],
      markdown: CUSTOMER_SPEC,
    });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    try {
      // Signed out: the sign-in and nothing of the signed-in portal.
      await page.goto(`http://127.0.0.1:${world.port}/`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      for (const name of ['Tasks', 'Specs', 'New task', 'Accounts'])
        assert.equal(await page.getByRole('link', { name }).isVisible(), false, `${name} shown signed out`);
      assert.equal(await page.getByRole('button', { name: 'Sign out' }).isVisible(), false);
      await page.screenshot({ path: join(shots, 'portal-signed-out.png') });
      await accessible(page, 'signed-out page');

      // The task list: statuses in words, times local with the ISO kept.
      await signIn(page, 'ada');
      const group = page.locator('section[data-status="review_pending"]');
      await group.getByRole('link', { name: 'Product entity' }).waitFor();
      assert.equal(await group.locator('h2').textContent(), 'waiting for review (1)');
      assert.doesNotMatch(await page.locator('main').innerText(), /review_pending|\d{4}-\d\d-\d\dT\d\d:/);
      const time = group.locator('time').first();
      assert.match((await time.getAttribute('datetime')) ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/);
      assert.equal(await time.getAttribute('title'), await time.getAttribute('datetime'));
      await accessible(page, 'task list');
      // The dark scheme (VS Code's Dark+ colours) passes too.
      await page.emulateMedia({ colorScheme: 'dark' });
      await accessible(page, 'task list, dark');
      await page.emulateMedia({ colorScheme: 'light' });

      // A task: the artifact's header and preview name the file; two labelled boxes, the review apart from the thread.
      await group.getByRole('link', { name: 'Product entity' }).click();
      await page.locator('pre.diff').filter({ hasText: '+++ b/server/entities/product.js' }).waitFor();
      const mainText = await page.locator('main').innerText();
      assert.doesNotMatch(mainText, /\[object Object\]/);
      assert.match(
        await page.locator('article.artifact h3').innerText(),
        new RegExp(`code → ${TARGET} from claude#1, `),
      );
      assert.match(await page.locator('article.artifact').innerText(), /server\/entities\/product\.js \(added\)/);
      assert.match(mainText, /waiting for review/);
      const messageBox = page.getByLabel('Message to the thread');
      const reviewBox = page.getByLabel('Review comment');
      assert.equal(await messageBox.count(), 1);
      assert.equal(await reviewBox.count(), 1);
      assert.equal(await reviewBox.evaluate((el) => el.closest('section')?.getAttribute('aria-label')), 'Your review');
      await page.screenshot({ path: join(shots, 'portal-task.png'), fullPage: true });
      await accessible(page, 'task with thread and artifact');
      await reviewBox.fill('Name the price column price_cents');
      await page.getByRole('button', { name: 'Reject' }).click();
      await page.locator('#notice').filter({ hasText: 'Rejected' }).waitFor();
      const detail = await world.queue.detail(task.id);
      assert.equal(detail.artifacts[0]!.decision?.comment, 'Name the price column price_cents');
      assert.equal(
        detail.messages.filter((m) => m.author === 'ada' && m.text === 'Name the price column price_cents').length <= 1,
        true,
      );

      // Accounts: each row's buttons sit within that row.
      await rendered(page, '#/accounts');
      const rows = page.locator('tr[data-account]');
      assert.equal(await rows.count(), 3);
      for (const name of ['ada', 'sam', 'bot']) {
        const row = page.locator(`tr[data-account="${name}"]`);
        const box = (await row.boundingBox())!;
        for (const button of await row.getByRole('button').all()) {
          const b = (await button.boundingBox())!;
          assert.ok(
            b.y >= box.y - 0.5 && b.y + b.height <= box.y + box.height + 0.5,
            `${name}'s ${await button.innerText()} is outside its row (${JSON.stringify(b)} vs ${JSON.stringify(box)})`,
          );
        }
      }
      await page.screenshot({ path: join(shots, 'portal-accounts.png'), fullPage: true });
      await accessible(page, 'accounts');

      // Specs: the waiting spec, its text, and the decision recorded with who.
      await rendered(page, '#/specs');
      const card = page.locator(`article[data-spec="${spec.id}"]`);
      await card.getByRole('heading', { name: 'Trim customer names' }).waitFor();
      assert.match(await card.innerText(), /waiting for approval/);
      await card.locator('summary').click();
      await card.getByRole('heading', { name: 'Spec: Trim customer names' }).waitFor();
      await page.screenshot({ path: join(shots, 'portal-specs.png'), fullPage: true });
      await accessible(page, 'specs');
      await card.getByRole('button', { name: 'Approve' }).click();
      await page.locator('#notice').filter({ hasText: 'Approved: Trim customer names (by ada)' }).waitFor();
      const approved = await loadSpec(world.shop.dir, spec.id);
      assert.equal(approved.frontMatter.status, 'approved');
      assert.equal((approved.frontMatter as Record<string, { by: string }>).decision?.by, 'ada');
      await page.getByText('No spec is waiting for approval.').waitFor();
    } finally {
      await page.screenshot({ path: join(shots, 'portal-pages-final.png') }).catch(() => undefined);
      await page.close();
    }
  },
);
