/**
 * Stop in the sidebar's Pool section (issue 39 with issue 28), in the real workbench on a real
 * PostgreSQL: a run dispatched from the CLI with --pool (no worker yet) shows queued with Stop;
 * Stop ends it `stopped` in the pool with who stopped it, as `runs --pool` reads it, and its Stop
 * goes; a run that ended has none.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { PRODUCT_REQUEST, productAgents } from '../../../bench/support/productFeature';
import { openSidebar, sidebarShot, withSession } from './support/session';
import { cli, pooledRows, teamRemote, uiPool } from './support/uiPool';
import { UI_TIMEOUT_MS } from './support/limits';

const pool = uiPool('pool_stop');

test(
  'Stop on a queued pooled run in the sidebar stops it in the pool, with who stopped it; a stopped run has no Stop',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    await withSession(
      'pool-stop',
      {
        agents: productAgents(),
        shop: { config: (yaml) => `${yaml}\nqueue:\n  url: ${pool.url}\n` },
        sidebarWidth: 560,
      },
      async (s) => {
        const { page, sidebar, shop } = s;
        teamRemote(pool, shop.dir);
        await openSidebar(s);
        await sidebar.getByTestId('pool-panel').waitFor({ timeout: 30_000 });

        const runId = String(
          (JSON.parse(cli(['feature', PRODUCT_REQUEST, '--pool', '--yes', '--json'], shop.dir)) as { runId: string })
            .runId,
        );
        const item = sidebar.locator(`[data-testid="pool-run"][data-run-id="${runId}"]`);
        await item.and(sidebar.locator('[data-status="queued"]')).waitFor({ timeout: 20_000 });
        await item.getByRole('button', { name: `Stop pooled run ${runId}` }).click();
        await sidebar.getByText(`Stopped pooled run ${runId} (it was queued).`).waitFor({ timeout: 20_000 });

        await item.and(sidebar.locator('[data-status="stopped"]')).waitFor({ timeout: 20_000 });
        assert.match(await item.getByTestId('pool-run-reason').innerText(), /^cancelled by .+ in VS Code$/);
        assert.equal(await item.getByRole('button', { name: /^Stop/ }).count(), 0, 'a stopped run has no Stop');
        assert.deepEqual(
          pooledRows(shop.dir).map((row) => [row.runId, row.status]),
          [[runId, 'stopped']],
        );
        await sidebarShot(page, 'pool-stopped');
      },
    );
  },
);
