// Tasks naming no file get their layer on the portal's Specs page (issue 37, part 1: the model's
// proposal shown at the gate for the person to change), in Chromium with axe-core: a supervisor
// sees a labelled picker per task, preselected on the model's proposal, changes it, picks one for
// a "no layer" task, clicks Assign layers, and the spec on disk says so; an agent account sees
// the proposal but no picker.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, blocking } from '../harness/axe';
import { launchBrowser } from '../harness/browser';
import { testOutputDir } from '../harness/paths';
import { createSpec, loadSpec } from '../../../src/core/project/specs/specs';
import { CUSTOMER_SPEC } from '../../unit/pipeline/support/fixtures';
import { portalWorld, PASSWORDS, type PortalWorld } from '../../unit/portal/portalKit';

const shots = join(testOutputDir, 'ui');
const TASKS = [
  '### Tasks (imported)',
  '5. [ ] T020 Performance pass over the invitation queries — layer: backend (proposed by the model: the queries live in the server)',
  '6. [ ] T021 Remind travel agents of pending invitations — no layer (pick one when approving)',
  '',
].join('\n');
let browser: Browser;
let world: PortalWorld;

before(async () => {
  mkdirSync(shots, { recursive: true });
  browser = await launchBrowser();
  world = await portalWorld();
});
after(async () => {
  await world?.close();
  await browser?.close();
});

async function signIn(page: Page, name: 'sam' | 'bot'): Promise<void> {
  await page.goto(`http://127.0.0.1:${world.port}/#/specs`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(PASSWORDS[name]);
  await page.keyboard.press('Enter');
}

test('portal: the model\'s layer proposal changed and a "no layer" task picked on the Specs page, written into the spec (axe-core clean)', async () => {
  const spec = await createSpec(world.shop.dir, { title: 'Trip invitations', kind: 'feature', layers: ['backend'], markdown: CUSTOMER_SPEC.replace('### Dependencies', `${TASKS}\n### Dependencies`) });
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  try {
    await signIn(page, 'sam');
    const card = page.locator(`article[data-spec="${spec.id}"]`);
    await card.getByTestId('layer-proposals').waitFor();
    const proposed = card.getByLabel('Layer for task T020');
    const none = card.getByLabel('Layer for task T021');
    assert.equal(await proposed.inputValue(), 'backend', 'preselected on the proposal');
    assert.equal(await none.inputValue(), '', 'nothing proposed: nothing preselected');
    assert.match(await card.innerText(), /pick their layers below/);
    const violations = blocking(await axeViolations(page));
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 1));
    await page.screenshot({ path: join(shots, 'portal-layer-picks.png'), fullPage: true });

    await proposed.selectOption('database');
    await none.selectOption('frontend');
    await card.getByRole('button', { name: 'Assign layers' }).click();
    await page.locator('#notice').filter({ hasText: 'Layers assigned: T020 → database, T021 → frontend' }).waitFor();
    const body = (await loadSpec(world.shop.dir, spec.id)).body;
    assert.match(body, /T020 Performance pass over the invitation queries — layer: database \(chosen when approving\)/);
    assert.match(body, /T021 Remind travel agents of pending invitations — layer: frontend \(chosen when approving\)/);
    // The page re-reads on the change: nothing left to pick.
    await card.getByTestId('layer-proposals').waitFor({ state: 'detached' });
    assert.equal(await card.getByRole('button', { name: 'Assign layers' }).count(), 0);
  } finally {
    await page.close();
  }
});

test('portal: an agent account sees the model\'s proposal but no layer picker', async () => {
  const spec = await createSpec(world.shop.dir, { title: 'More invitations', slug: 'more-invitations', kind: 'feature', layers: ['backend'], markdown: CUSTOMER_SPEC.replace('### Dependencies', `${TASKS}\n### Dependencies`) });
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  try {
    await signIn(page, 'bot');
    const card = page.locator(`article[data-spec="${spec.id}"]`);
    await card.getByTestId('layer-proposals').waitFor();
    assert.match(await card.innerText(), /change one in VS Code or with approve --assign/);
    assert.equal(await card.getByTestId('layer-pick').count(), 0);
    assert.equal(await card.getByRole('button', { name: 'Assign layers' }).count(), 0);
  } finally {
    await page.close();
  }
});
