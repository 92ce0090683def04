// The supervisor portal in Chromium (playwright-core, Debian's Chromium; no code-server needed):
// sign in with the keyboard, approve an artifact shown as a diff (it lands and validates), live
// updates without reloading, an agent account without the buttons (and 403 from the API), sign out,
// and a sign-in through OpenID Connect against a local provider (oidc-provider) that lands signed in.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { sharedBrowser } from '../harness/shared';
import { PRODUCT_MODULE } from '../../support/engine/fixtures';
import { startOidcProvider, type LocalOidcProvider } from '../../support/oidcProvider';
import { portalWorld, PASSWORDS, type PortalWorld } from '../../support/portal/portalKit';
import { UI_TIMEOUT_MS } from './support/limits';

const TARGET = 'server/entities/product.js';
type Heard = { heard: Promise<void> };

let browser: Browser;
let world: PortalWorld;
let provider: LocalOidcProvider;

before(async () => {
  browser = await sharedBrowser(); // this process's Chromium: its pages are the test's own
  provider = await startOidcProvider();
  world = await portalWorld({
    oidc: {
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      label: 'Local ID',
    },
  });
  await provider.allow(world.portal.oidc!.redirectUri);
});
after(async () => {
  await world?.close();
  await provider?.close();
});

async function signIn(page: Page, name: keyof typeof PASSWORDS): Promise<void> {
  await page.goto(`http://127.0.0.1:${world.port}/`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(PASSWORDS[name]);
  await page.keyboard.press('Enter');
  await page.locator('#who').filter({ hasText: name }).waitFor();
}

test(
  'a supervisor signs in, approves an artifact shown as a diff (it lands and validates), and signs out',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    const task = await world.queue.createTask({ title: 'Product entity' }, 'cli');
    await world.queue.claim(task.id, 'claude#1');
    await world.queue.submitArtifact(
      { task_id: task.id, type: 'code', path: TARGET, content: PRODUCT_MODULE },
      'claude#1',
    );
    const page = await browser.newPage();
    try {
      await signIn(page, 'sam');
      await page.locator('section[data-status="review_pending"]').getByRole('link', { name: 'Product entity' }).click();
      await page.locator('pre.diff').filter({ hasText: '+++ b/server/entities/product.js' }).waitFor();
      await page.getByLabel('Review comment').fill('good');
      await page.locator('button[data-action="approve"]').click();
      await page
        .locator('#notice')
        .filter({ hasText: `Approved: ${TARGET}` })
        .waitFor();
      assert.equal(world.shop.read(TARGET), PRODUCT_MODULE);
      const detail = await world.queue.detail(task.id);
      assert.equal(detail.status, 'done');
      assert.equal(detail.artifacts[0]!.decision?.by, 'sam');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      assert.equal(await page.evaluate(async () => (await fetch('/api/me')).status), 401);
    } finally {
      await page.close();
    }
  },
);

test(
  'an agent account sees the queue live but has no Approve button, and the API refuses it (403)',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    const page = await browser.newPage();
    try {
      // Live, even in the first screen's race: its list is read before a task is created and
      // answers after the page heard of the task, with the sign-in form (a field in use) still shown.
      let read!: () => void;
      let answer!: () => void;
      const listRead = new Promise<void>((r) => (read = r));
      const answerHeld = new Promise<void>((r) => (answer = r));
      await page.route(/\/api\/tasks(\?|$)/, async (route) => {
        const response = await route.fetch();
        read();
        await answerHeld;
        await route.fulfill({ response });
      });
      await signIn(page, 'bot');
      await listRead;
      // A stream of the test's own in the page tells when the task's change has been sent.
      await page.evaluate(
        () =>
          new Promise<void>((opened) => {
            const events = new EventSource('/api/events');
            (window as unknown as Heard).heard = new Promise((r) => events.addEventListener('change', () => r()));
            events.addEventListener('open', () => opened());
          }),
      );
      const task = await world.queue.createTask({ title: 'Pushed live' }, 'cli');
      await page.evaluate(() => (window as unknown as Heard).heard);
      answer();
      await page.getByRole('link', { name: 'Pushed live' }).waitFor({ timeout: 5000 });
      await world.queue.claim(task.id, 'claude#2');
      await world.queue.submitArtifact({ task_id: task.id, type: 'text', content: 'a plan' }, 'claude#2');
      await page.locator('section[data-status="review_pending"]').getByRole('link', { name: 'Pushed live' }).click();
      await page.locator('article.artifact').waitFor();
      assert.equal(await page.locator('button[data-action="approve"]').count(), 0);
      assert.equal(await page.getByRole('link', { name: 'Accounts' }).isVisible(), false);
      const status = await page.evaluate(async (id) => {
        const me = (await (await fetch('/api/me')).json()) as { csrf: string };
        const res = await fetch(`/api/tasks/${id}/review`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrf },
          body: JSON.stringify({ verdict: 'approved' }),
        });
        return res.status;
      }, task.id);
      assert.equal(status, 403);
      assert.equal((await world.queue.detail(task.id)).status, 'review_pending');
    } finally {
      await page.close();
    }
  },
);

test(
  'OpenID Connect: "Sign in with Local ID" from the keyboard, through the local provider, lands signed in as the email\'s account',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    await world.accounts.put('sam', 'supervisor', undefined, 'sam@example.com');
    provider.users.set('u-sam', { email: 'sam@example.com', email_verified: true });
    provider.signInAs('u-sam');
    const page = await browser.newPage();
    try {
      await page.goto(`http://127.0.0.1:${world.port}/`);
      const button = page.getByRole('link', { name: 'Sign in with Local ID' });
      await button.waitFor();
      await page.getByLabel('Password').focus();
      await page.keyboard.press('Tab'); // the Sign in button
      await page.keyboard.press('Tab'); // the provider's link, next in the tab order
      assert.equal(await button.evaluate((el) => el === document.activeElement), true);
      await page.keyboard.press('Enter');
      await page.locator('#who').filter({ hasText: 'sam (supervisor)' }).waitFor({ timeout: 15_000 });
      assert.equal(new URL(page.url()).origin, `http://127.0.0.1:${world.port}`);
      const me = await page.evaluate(
        async () => (await fetch('/api/me')).json() as Promise<{ name: string; role: string }>,
      );
      assert.deepEqual([me.name, me.role], ['sam', 'supervisor']);
      await page.getByRole('link', { name: 'Tasks' }).waitFor();
    } finally {
      await page.close();
    }
  },
);
