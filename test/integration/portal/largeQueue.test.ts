// Issue 31, point 6, as attacks: a queue of 10,000 tasks (each with a 2,000-character description)
// on the embedded store and on PostgreSQL. The portal's /api/tasks answers a page (< 200 kB) with
// counts per status and a cursor; walking every page returns each task once; filters by status and
// source hold; a forged cursor or an oversized limit is a 400. MCP's list_tasks (the SDK's client)
// and the orchestrator://queue resource are bounded the same way. In Chromium the page draws a
// bounded number of rows (not 10,000) with the counts, and "Show more" adds the next page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { queueDbPath } from '../../../src/core/queue/openStore';
import { PAGE_LIMITS } from '../../../src/core/queue/queueService';
import { launchBrowser } from '../../e2e/harness/browser';
import { freshDatabase, usePostgres } from '../../support/postgres';
import { connect } from '../../support/mcp/mcpKit';
import { portalWorld, PASSWORDS, type PortalWorld } from '../../support/portal/portalKit';

const TASKS = 10_000;
const pg = usePostgres();

/** 10,000 tasks in one statement (a fifth from the web form, every seventh awaiting review), written as the store's own rows. */
const SEED = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${TASKS})
  INSERT INTO tasks (id, title, description, source, status, created_at, updated_at)
  SELECT 't-' || substr('0000000000' || i, -10), 'Task number ' || i, 'd' || substr(replace(hex(zeroblob(1000)), '00', 'xy'), 1, 1999),
    CASE WHEN i % 5 = 0 THEN 'form' ELSE 'cli' END, CASE WHEN i % 7 = 0 THEN 'review_pending' ELSE 'pending' END,
    '2026-11-23T08:00:00.000Z', '2026-11-23T08:00:00.000Z' FROM n`;
const SEED_PG = `INSERT INTO tasks (id, title, description, source, status, created_at, updated_at)
  SELECT 't-' || lpad(i::text, 10, '0'), 'Task number ' || i, 'd' || repeat('xy', 1000)::varchar(1999) ,
    CASE WHEN i % 5 = 0 THEN 'form' ELSE 'cli' END, CASE WHEN i % 7 = 0 THEN 'review_pending' ELSE 'pending' END,
    '2026-11-23T08:00:00.000Z', '2026-11-23T08:00:00.000Z' FROM generate_series(1, ${TASKS}) AS i`;

async function seed(world: PortalWorld, url: string | undefined): Promise<void> {
  if (url) {
    const { Client } = await import('pg');
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(SEED_PG);
    await client.end();
  } else {
    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(queueDbPath(world.shop.dir), { timeout: 10_000 });
    db.exec(SEED);
    db.close();
  }
}

for (const store of ['embedded', 'postgresql'] as const) {
  test(`${store}: 10,000 tasks: the first page is under 200 kB with counts and a cursor; every page walked gives each task once; filters and bad input`, async () => {
    const url = store === 'postgresql' ? await freshDatabase(pg, 'large') : undefined;
    const world = await portalWorld(url ? { config: (yaml) => `${yaml}\nqueue:\n  url: ${url}\n` } : {});
    try {
      await seed(world, url);
      const sam = await world.signIn('sam');
      const first = await world.as(sam, 'GET', '/api/tasks');
      assert.equal(first.status, 200);
      const bytes = Buffer.byteLength(first.text);
      assert.ok(bytes < 200 * 1024, `the first page is ${bytes} bytes`);
      assert.equal(first.json.tasks.length, PAGE_LIMITS.defaultTasks);
      assert.equal(first.json.total, TASKS);
      assert.deepEqual(first.json.counts, {
        pending: TASKS - Math.floor(TASKS / 7),
        review_pending: Math.floor(TASKS / 7),
      });
      assert.equal(first.json.tasks[0].descriptionTruncated, true, 'descriptions are previews');
      assert.ok(first.json.tasks[0].description.length <= PAGE_LIMITS.descriptionChars + 1);

      const seen = new Set<string>();
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await world.as(sam, 'GET', `/api/tasks?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(page.status, 200, page.text);
        for (const task of page.json.tasks) assert.ok(!seen.has(task.id) && seen.add(task.id), `${task.id} once`);
        cursor = page.json.nextCursor;
        pages++;
      } while (cursor);
      assert.equal(seen.size, TASKS);
      assert.equal(pages, TASKS / 200);

      const review = await world.as(sam, 'GET', '/api/tasks?status=review_pending&source=form&limit=200');
      assert.ok(
        review.json.tasks.length > 0 &&
          review.json.tasks.every(
            (t: { status: string; source: string }) => t.status === 'review_pending' && t.source === 'form',
          ),
      );
      assert.deepEqual(
        review.json.counts,
        { pending: 2000 - Math.floor(TASKS / 35), review_pending: Math.floor(TASKS / 35) },
        'counts of the source',
      );
      assert.equal(review.json.tasks.length, 200, 'a full page of the 285');
      const rest = await world.as(
        sam,
        'GET',
        `/api/tasks?status=review_pending&source=form&limit=200&cursor=${review.json.nextCursor}`,
      );
      assert.equal(rest.json.tasks.length, Math.floor(TASKS / 35) - 200);
      assert.equal(rest.json.nextCursor, undefined, 'the last page');

      const forged = Buffer.from(JSON.stringify([{ $gt: '' }, 1])).toString('base64url');
      for (const bad of [
        `cursor=${forged}`,
        'cursor=%25%25',
        'limit=100000',
        'limit=0',
        'limit=abc',
        'status=finished',
        `source=${'s'.repeat(41)}`,
      ]) {
        const reply = await world.as(sam, 'GET', `/api/tasks?${bad}`);
        assert.equal(reply.status, 400, `${bad}: ${reply.text}`);
      }

      if (store === 'embedded') {
        // MCP: list_tasks pages through the real SDK client; the resource is bounded.
        const token = await world.accounts.issueToken('bot');
        const mcp = await connect(
          new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${world.port}/mcp`), {
            requestInit: { headers: { authorization: `Bearer ${token}` } },
          }),
          'agent',
        );
        try {
          const listed = await mcp.call('list_tasks', {});
          assert.ok(Buffer.byteLength(listed.text) < 200 * 1024);
          assert.equal(listed.value.tasks.length, 50, 'a page by default');
          const second = await mcp.call('list_tasks', {
            cursor: listed.value.nextCursor,
            limit: 10,
            status: 'pending',
          });
          assert.equal(second.value.tasks.length, 10);
          assert.ok(
            second.value.tasks.every(
              (t: { id: string; status: string }) => t.status === 'pending' && t.id > listed.value.tasks.at(-1).id,
            ),
          );
          assert.equal(
            (await mcp.call('list_tasks', { limit: 5000 })).isError,
            true,
            'over the page limit: an error result, not 10,000 tasks',
          );
          const resource = await mcp.client.readResource({ uri: 'orchestrator://queue' });
          const text = (resource.contents[0] as { text: string }).text;
          assert.equal(JSON.parse(text).length, PAGE_LIMITS.maxTasks);
          assert.ok(Buffer.byteLength(text) < 400 * 1024, `the resource is ${Buffer.byteLength(text)} bytes`);
        } finally {
          await mcp.client.close();
        }

        // The page in Chromium: bounded rows, the counts, and the next page on request.
        const browser = await launchBrowser();
        try {
          const page = await browser.newPage();
          await page.goto(`http://127.0.0.1:${world.port}/`);
          await page.getByLabel('Name').fill('sam');
          await page.getByLabel('Password').fill(PASSWORDS.sam);
          await page.keyboard.press('Enter');
          await page
            .locator('nav.counts a[data-count="all"]')
            .filter({ hasText: `All (${TASKS})` })
            .waitFor();
          assert.equal(
            await page.locator('tr[data-task]').count(),
            PAGE_LIMITS.defaultTasks,
            'one page of rows, not 10,000',
          );
          assert.match(
            String(await page.locator('nav.counts a[data-count="review_pending"]').textContent()),
            new RegExp(`\\(${Math.floor(TASKS / 7)}\\)$`),
          );
          await page.getByRole('button', { name: 'Show more' }).click();
          await page.waitForFunction(
            (n) => document.querySelectorAll('tr[data-task]').length === n,
            PAGE_LIMITS.defaultTasks * 2,
          );
          await page.locator('nav.counts a[data-count="review_pending"]').click();
          await page.waitForFunction(
            () =>
              Array.from(document.querySelectorAll('tr[data-task]')).every(
                (row) => row.closest('section')?.getAttribute('data-status') === 'review_pending',
              ) && document.querySelectorAll('tr[data-task]').length > 0,
          );
          assert.ok((await page.locator('tr[data-task]').count()) <= PAGE_LIMITS.defaultTasks);
        } finally {
          await browser.close();
        }
      }
    } finally {
      await world.close();
    }
  });
}
