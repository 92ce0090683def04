// The portal's Pool page in Chromium, on a real PostgreSQL (issue 28): reached from the
// navigation by keyboard, it lists each pooled run with its status in words, phase and wave, the
// worker running it, its cost and the reason it stopped, and the team's spend today against
// limits.poolBudgetUsdPerDay; a worker's progress written by another connection shows without a
// reload (NOTIFY → the portal's event stream); axe-core finds no missing label nor critical
// violation in either colour scheme. A run's Journal link shows its mirrored journal, paged back,
// its untrusted text as text.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { PoolStore } from '../../../src/pool/poolStore';
import type { PoolRequest } from '../../../src/pool/types';
import { freshDatabase, startPostgres, type Postgres } from '../../support/postgres';
import { portalWorld, PASSWORDS, type PortalWorld } from '../../support/portal/portalKit';
import { axeViolations, blocking } from '../harness/axe';
import { sharedBrowser } from '../harness/shared';
import { testOutputDir } from '../harness/paths';
import { UI_TIMEOUT_MS } from './support/limits';

const shots = join(testOutputDir, 'ui');

let pg: Postgres;
let browser: Browser;
let store: PoolStore;
let world: PortalWorld;

before(async () => {
  mkdirSync(shots, { recursive: true });
  pg = await startPostgres();
  const url = await freshDatabase(pg, 'pool_ui');
  store = await PoolStore.open(url);
  world = await portalWorld({
    config: (yaml) => `${yaml.replace('limits:\n', 'limits:\n  poolBudgetUsdPerDay: 4\n')}\nqueue:\n  url: ${url}\n`,
  });
  browser = await sharedBrowser(); // this process's Chromium: its pages are the test's own
});
after(async () => {
  await world?.close();
  await store?.close();
  pg?.stop();
});

function request(runId: string, kind: PoolRequest['kind'], text: string): PoolRequest {
  return {
    runId,
    kind,
    request: text,
    remote: 'team/shop',
    baseCommit: 'a'.repeat(40),
    changesRef: `refs/orchestrator/base/${runId}`,
    changesCommit: 'b'.repeat(40),
    flags: { autoApprove: true, approveGates: true },
    labels: [],
    requestedBy: 'lee',
  };
}

async function accessible(page: Page, what: string): Promise<void> {
  const found = await axeViolations(page);
  assert.deepEqual(blocking(found), [], `${what}: ${JSON.stringify(blocking(found), null, 1)}`);
  for (const v of found)
    console.log(`axe (${what}): ${v.impact} ${v.id}: ${v.help}: ${v.nodes.slice(0, 8).join(' | ')}`);
}

test(
  "the Pool page: runs with their worker, phase, wave, cost and reason, the day's spend against the budget, live; keyboard reachable; axe-core clean",
  { timeout: UI_TIMEOUT_MS },
  async () => {
    const running = '20261123-140000-0001';
    const stopped = '20261123-140000-0002';
    await store.dispatch(request(running, 'feature', 'Add an Address entity to the API'));
    await store.dispatch(request(stopped, 'bugfix', 'Orders total ignores discounts'));
    await store.claim('build-7', [], 60);
    await store.claim('build-9', [], 60);
    await store.update(running, 'build-7', { phase: 'IMPLEMENT', wave: '1/2', costUsd: 0.31 });
    await store.finish(stopped, 'build-9', { status: 'stopped', reason: 'limits.poolBudgetUsdPerDay', costUsd: 0.05 });
    await store.charge(1.5);

    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    try {
      await page.goto(`http://127.0.0.1:${world.port}/`);
      await page.getByLabel('Name').fill('sam');
      await page.getByLabel('Password').fill(PASSWORDS.sam);
      await page.keyboard.press('Enter');
      await page.locator('#who').filter({ hasText: 'sam' }).waitFor();

      // By keyboard: Tab through the navigation to Pool, Enter.
      const pool = page.getByRole('link', { name: 'Pool' });
      await pool.waitFor();
      for (let i = 0; i < 10 && !(await pool.evaluate((el) => el === document.activeElement)); i++)
        await page.keyboard.press('Tab');
      assert.equal(await pool.evaluate((el) => el === document.activeElement), true, 'Pool is reached with Tab');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Pool', level: 1 }).waitFor();

      const row = (runId: string) => page.locator(`tr[data-run="${runId}"]`);
      await row(running).waitFor();
      const cells = async (runId: string) =>
        (await row(runId).locator('th, td').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      const first = await cells(running);
      assert.match(first[0]!, new RegExp(`^${running} feature: Add an Address entity to the API Journal$`));
      // A supervisor's row of a run still going carries its Stop beside the status; a stopped run's none.
      assert.deepEqual(first.slice(1, 5), ['running Stop', 'IMPLEMENT, wave 1/2', 'build-7', '$0.3100']);
      assert.equal(
        await row(running)
          .getByRole('button', { name: `Stop pooled run ${running}` })
          .count(),
        1,
      );
      const second = await cells(stopped);
      assert.deepEqual(second.slice(1, 6), ['stopped', '—', 'build-9', '$0.0500', 'limits.poolBudgetUsdPerDay']);
      assert.equal(await row(stopped).getByRole('button').count(), 0);
      assert.match(
        await page.getByTestId('pool-spend').innerText(),
        /^\$1\.50 of \$4\.00 spent on \d{4}-\d\d-\d\d \(UTC\), 1 model call\(s\); \$2\.50 left · 1 run\(s\) going\.$/,
      );
      assert.equal(await page.getByRole('progressbar', { name: 'Team spend today: $1.50 of $4.00' }).count(), 1);
      await page.screenshot({ path: join(shots, 'portal-pool.png'), fullPage: true });
      await accessible(page, 'pool page');
      await page.emulateMedia({ colorScheme: 'dark' });
      await accessible(page, 'pool page, dark');
      await page.emulateMedia({ colorScheme: 'light' });

      // Live: the worker moves on and the team spends the day's budget, from another connection; no reload.
      await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
      await store.update(running, 'build-7', { phase: 'IMPLEMENT', wave: '2/2', costUsd: 0.62 });
      await store.charge(3);
      await page.waitForFunction(
        (id) => document.querySelector(`tr[data-run="${id}"]`)?.textContent?.includes('wave 2/2'),
        running,
        { timeout: 20_000 },
      );
      await page
        .getByTestId('pool-spend')
        .filter({ hasText: "the day's budget is spent" })
        .waitFor({ timeout: 20_000 });
      assert.match((await cells(running))[4]!, /^\$0\.6200$/);
      assert.equal(
        await page.evaluate(() => (window as unknown as { marker?: number }).marker),
        1,
        'the same page: not reloaded',
      );
      await page.screenshot({ path: join(shots, 'portal-pool-spent.png'), fullPage: true });
      await accessible(page, 'pool page, budget spent');
    } finally {
      await page.close();
    }
  },
);

test(
  "a pooled run's Journal: its mirrored events with time, type and text (markup shown as text), the newest 100 first, Earlier events back to its start, live; axe-core clean",
  { timeout: UI_TIMEOUT_MS },
  async () => {
    const runId = '20261123-150000-0003';
    await store.dispatch(request(runId, 'feature', 'Add a Coupon entity to the API'));
    await store.claim('build-11', [], 60);
    const entries = Array.from({ length: 130 }, (_, i) => ({
      seq: i + 1,
      ts: new Date(Date.UTC(2026, 10, 23, 15, 0, i)).toISOString(),
      type: i === 0 ? 'run.started' : 'agent.completed',
      agent: 'backend',
      outcome: 'done',
      summary: `step ${i + 1}`,
    }));
    entries[129] = { ...entries[129]!, summary: '<img src=x onerror="window.pwned=1"> step 130' };
    assert.equal(await store.appendEvents(runId, 'build-11', entries), true);

    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    try {
      await page.goto(`http://127.0.0.1:${world.port}/`);
      await page.getByLabel('Name').fill('bot');
      await page.getByLabel('Password').fill(PASSWORDS.bot);
      await page.keyboard.press('Enter');
      await page.locator('#who').filter({ hasText: 'bot' }).waitFor();
      await page.getByRole('link', { name: 'Pool' }).click();
      await page.getByRole('link', { name: `Journal of pooled run ${runId}` }).click();
      await page.getByRole('heading', { name: `Journal of pooled run ${runId}`, level: 1 }).waitFor();

      const seqs = async () =>
        await page
          .locator('[data-testid="pool-journal"] tbody tr')
          .evaluateAll((rows) => rows.map((row) => Number((row as HTMLElement).dataset.seq)));
      const shown = await seqs();
      assert.deepEqual([shown.length, shown[0], shown.at(-1)], [100, 31, 130], 'the newest 100, oldest of them first');
      const last = page.locator('[data-testid="pool-journal"] tr[data-seq="130"]');
      const cells = (await last.locator('th, td').allInnerTexts()).map((t) => t.trim());
      assert.equal(cells[2], 'agent.completed');
      assert.equal(cells[3], 'backend: done — <img src=x onerror="window.pwned=1"> step 130', 'markup shown as text');
      assert.equal(await last.locator('time').getAttribute('datetime'), entries[129]!.ts);
      assert.equal(await page.locator('main img').count(), 0);
      assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
      await accessible(page, 'pooled run journal');

      await page.getByRole('link', { name: `Earlier events of pooled run ${runId} (before #31)` }).click();
      await page.locator('[data-testid="pool-journal"] tr[data-seq="1"]').waitFor();
      assert.deepEqual(
        await seqs(),
        Array.from({ length: 30 }, (_, i) => i + 1),
      );
      assert.equal(await page.getByTestId('journal-earlier').count(), 0, "the run's start: nothing earlier");
      // Live: the run goes on; the page re-reads and stays where the reader paged to.
      const rendered = await page.locator('main').getAttribute('data-rendered');
      assert.equal(
        await store.appendEvents(runId, 'build-11', [
          { seq: 131, ts: new Date().toISOString(), type: 'phase.started', phase: 'REVIEW' },
        ]),
        true,
      );
      await page.waitForFunction((before) => document.querySelector('main')?.dataset.rendered !== before, rendered, {
        timeout: 20_000,
      });
      assert.deepEqual(
        await seqs(),
        Array.from({ length: 30 }, (_, i) => i + 1),
        're-read on the same page',
      );
      await page.getByRole('link', { name: `Newest events of pooled run ${runId}` }).click();
      await page.locator('[data-testid="pool-journal"] tr[data-seq="131"]').waitFor({ timeout: 20_000 });
      assert.match(page.url(), new RegExp(`#/pool/${runId}$`));
      await page.screenshot({ path: join(shots, 'portal-pool-journal.png'), fullPage: true });
    } finally {
      await page.close();
    }
  },
);
