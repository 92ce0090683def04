// Tasks naming no file get their layer on the portal's Specs page (issue 37, part 1: the model's
// proposal shown at the gate for the person to change), in Chromium with axe-core: a supervisor
// sees a labelled picker per task, preselected on the model's proposal, changes it, picks one for
// a "no layer" task, clicks Assign layers, and the spec on disk says so; an agent account sees
// the proposal but no picker.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { createSpec, loadSpec } from '../../../src/core/project/specs/specs';
import { CUSTOMER_SPEC } from '../../support/engine/fixtures';
import { accessible, portalInChromium, shots, signIn } from './support/portalBrowser';
import { UI_TIMEOUT_MS } from './support/limits';

const TASKS = [
  '### Tasks (imported)',
  '5. [ ] T020 Performance pass over the invitation queries — layer: backend (proposed by the model: the queries live in the server)',
  '6. [ ] T021 Remind travel agents of pending invitations — no layer (pick one when approving)',
  '',
].join('\n');

const portal = portalInChromium();

/** The Specs page, signed in as `name`. */
async function specsAs(page: Page, name: 'sam' | 'bot'): Promise<void> {
  await page.goto(`http://127.0.0.1:${portal.world.port}/#/specs`);
  await signIn(page, name);
}

test(
  'portal: the model\'s layer proposal changed and a "no layer" task picked on the Specs page, written into the spec (axe-core clean)',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    const { browser, world } = portal;
    const spec = await createSpec(world.shop.dir, {
      title: 'Trip invitations',
      kind: 'feature',
      layers: ['backend'],
      markdown: CUSTOMER_SPEC.replace('### Dependencies', `${TASKS}\n### Dependencies`),
    });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    try {
      await specsAs(page, 'sam');
      const card = page.locator(`article[data-spec="${spec.id}"]`);
      await card.getByTestId('layer-proposals').waitFor();
      const proposed = card.getByLabel('Layer for task T020');
      const none = card.getByLabel('Layer for task T021');
      assert.equal(await proposed.inputValue(), 'backend', 'preselected on the proposal');
      assert.equal(await none.inputValue(), '', 'nothing proposed: nothing preselected');
      assert.match(await card.innerText(), /pick their layers below/);
      await accessible(page, 'specs with layer proposals');
      await page.screenshot({ path: join(shots, 'portal-layer-picks.png'), fullPage: true });

      await proposed.selectOption('database');
      await none.selectOption('frontend');
      await card.getByRole('button', { name: 'Assign layers' }).click();
      await page.locator('#notice').filter({ hasText: 'Layers assigned: T020 → database, T021 → frontend' }).waitFor();
      const body = (await loadSpec(world.shop.dir, spec.id)).body;
      assert.match(
        body,
        /T020 Performance pass over the invitation queries — layer: database \(chosen when approving\)/,
      );
      assert.match(
        body,
        /T021 Remind travel agents of pending invitations — layer: frontend \(chosen when approving\)/,
      );
      // The page re-reads on the change: nothing left to pick.
      await card.getByTestId('layer-proposals').waitFor({ state: 'detached' });
      assert.equal(await card.getByRole('button', { name: 'Assign layers' }).count(), 0);
    } finally {
      await page.close();
    }
  },
);

test("portal: an agent account sees the model's proposal but no layer picker", { timeout: UI_TIMEOUT_MS }, async () => {
  const { browser, world } = portal;
  const spec = await createSpec(world.shop.dir, {
    title: 'More invitations',
    slug: 'more-invitations',
    kind: 'feature',
    layers: ['backend'],
    markdown: CUSTOMER_SPEC.replace('### Dependencies', `${TASKS}\n### Dependencies`),
  });
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  try {
    await specsAs(page, 'bot');
    const card = page.locator(`article[data-spec="${spec.id}"]`);
    await card.getByTestId('layer-proposals').waitFor();
    assert.match(await card.innerText(), /change one in VS Code or with approve --assign/);
    assert.equal(await card.getByTestId('layer-pick').count(), 0);
    assert.equal(await card.getByRole('button', { name: 'Assign layers' }).count(), 0);
  } finally {
    await page.close();
  }
});
