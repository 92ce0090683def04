// A team's queue on PostgreSQL in Chromium: two `orchestrator serve` processes on one database.
// A supervisor's page signed in on B shows a task made through A, and then the approval made
// through A (it lands and validates), without a reload: A's NOTIFY reaches B's LISTEN, and B's
// event stream the page. How fast is the portal bench's row, not this test's business.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { engine } from '../../../src/core/engine';
import type { QueueService } from '../../../src/core/queue/queueService';
import { Accounts } from '../../../src/portal/accounts';
import { freshDatabase, startPostgres, type Postgres } from '../../support/postgres';
import { portalSignIn, startServe, type ServeProcess } from '../../support/serveProcess';
import { PRODUCT_MODULE } from '../../support/engine/fixtures';
import { makeShop, type ShopWorkspace } from '../../support/engine/shopWorkspace';
import { sharedBrowser } from '../harness/shared';
import { UI_TIMEOUT_MS } from './support/limits';

const TARGET = 'server/entities/product.js';
const SAM = 'sam-password-1';
/** Generous: the two processes, PostgreSQL and Chromium share two busy cores. */
const DEADLINE = 20_000;

let pg: Postgres;
let browser: Browser;
let shop: ShopWorkspace;
let queue: QueueService;
const servers: ServeProcess[] = [];
// The shared MCP token `serve` keeps under the user's config folder: a throwaway one here.
const config = mkdtempSync(join(tmpdir(), 'orch-serve-cfg-'));

before(async () => {
  pg = await startPostgres();
  const url = await freshDatabase(pg, 'team_ui');
  shop = makeShop({ config: (yaml) => `${yaml}\nqueue:\n  url: ${url}\n` });
  queue = await engine.openQueue(shop.dir, { trusted: true });
  await new Accounts(queue.store).put('sam', 'supervisor', SAM);
  servers.push(
    ...(await Promise.all([
      startServe(shop.dir, { XDG_CONFIG_HOME: config }),
      startServe(shop.dir, { XDG_CONFIG_HOME: config }),
    ])),
  );
  browser = await sharedBrowser(); // this process's Chromium: its pages are the test's own
});
after(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await queue?.close();
  shop?.cleanup();
  pg?.stop();
  rmSync(config, { recursive: true, force: true });
});

test(
  'a page on serve B shows a task made through serve A, then its approval through A, without a reload',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    const [a, b] = servers as [ServeProcess, ServeProcess];
    const page = await browser.newPage();
    try {
      await page.goto(`http://127.0.0.1:${b.port}/`);
      await page.getByLabel('Name').fill('sam');
      await page.getByLabel('Password').fill(SAM);
      await page.keyboard.press('Enter');
      await page.locator('#who').filter({ hasText: 'sam' }).waitFor();
      // Survives only while the page is not loaded again.
      await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

      const samA = await portalSignIn(a.port, 'sam', SAM);
      const created = await samA.send('POST', '/api/tasks', { title: 'Product entity (through A)' });
      assert.equal(created.status, 201);
      const taskId = String(created.json.id);
      await page
        .locator('section[data-status="pending"]')
        .getByRole('link', { name: 'Product entity (through A)' })
        .waitFor({ timeout: DEADLINE });

      // An agent's work, then B's page opened on the task: the diff, and the buttons while it waits.
      await queue.claim(taskId, 'claude#1');
      await queue.submitArtifact({ task_id: taskId, type: 'code', path: TARGET, content: PRODUCT_MODULE }, 'claude#1');
      await page
        .locator('section[data-status="review_pending"]')
        .getByRole('link', { name: 'Product entity (through A)' })
        .click({ timeout: DEADLINE });
      await page
        .locator('pre.diff')
        .filter({ hasText: `+++ b/${TARGET}` })
        .waitFor({ timeout: DEADLINE });
      await page.locator('button[data-action="approve"]').waitFor();

      const decided = await samA.send('POST', `/api/tasks/${taskId}/review`, {
        verdict: 'approved',
        comment: 'approved on A',
      });
      assert.equal(decided.status, 200);
      assert.deepEqual(decided.json.files, [TARGET]);

      // B's page, untouched, shows the decision made through A and drops the buttons.
      const artifact = page.locator('article.artifact');
      // The decision reads "approved by sam, <local time>: approved on A" (times are local, the ISO in `datetime`).
      await artifact
        .locator('p.muted')
        .filter({ hasText: /approved by sam, .+: approved on A/ })
        .waitFor({ timeout: DEADLINE });
      await page
        .locator('main p.muted')
        .filter({ hasText: `${taskId} · done` })
        .waitFor({ timeout: DEADLINE });
      assert.equal(await page.locator('button[data-action="approve"]').count(), 0);
      assert.equal(
        await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
        true,
        'the page was loaded again',
      );
      assert.equal(shop.read(TARGET), PRODUCT_MODULE);
      assert.equal((await queue.detail(taskId)).status, 'done');
    } finally {
      await page.close();
    }
  },
);
