/**
 * The pool of workers in the real workbench (issue 28), on a real PostgreSQL with a bare git
 * repository as the team's remote: a run dispatched from the CLI with --pool shows in the
 * sidebar's Pool section as queued, then running with the name of the worker that took it (a real
 * `orchestrator worker` process in its own clone, on the scripted Messages API server), live
 * through LISTEN/NOTIFY; it waits at the spec gate holding no worker until Approve in the sidebar
 * queues it again, and the worker continues it; its Journal shows it in the run panel from the journal
 * the worker mirrors, followed to its end, read-only; once completed, Apply in the sidebar fetches its branch
 * `orchestrator/<spec-slug>` and brings it into the working tree (HEAD and the index untouched).
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { git } from '../../../bench/support/git';
import { PRODUCT_MODULE, PRODUCT_REQUEST, productAgents } from '../../../bench/support/productFeature';
import { openSidebar, scrollSidebarTo, sidebarShot, withSession } from './support/session';
import { cli, startWorker, teamRemote, uiPool } from './support/uiPool';
import { UI_TIMEOUT_MS } from './support/limits';

const WORKER = 'ui-worker-1';

const pool = uiPool('pool_sidebar');

test(
  "a pooled run shows in the sidebar with its worker's name, live; Approve at its spec gate continues it; Apply brings its branch into the working tree",
  { timeout: UI_TIMEOUT_MS },
  async () => {
    // The backend's reply is held a while, so the run is seen running on its worker.
    await withSession(
      'pool',
      {
        agents: productAgents(),
        hold: (call) => (call.agent === 'backend' && call.turn === 0 ? 10_000 : undefined),
        shop: { config: (yaml) => `${yaml}\nqueue:\n  url: ${pool.url}\n  leaseSec: 10\n` },
        sidebarWidth: 560,
      },
      async (s) => {
        const { page, sidebar, shop } = s;
        const remote = teamRemote(pool, shop.dir);
        const head = git(shop.dir, 'rev-parse', 'HEAD').trim();
        await openSidebar(s);
        await sidebar.getByTestId('pool-panel').waitFor({ timeout: 30_000 });

        // Dispatched from a terminal without --approve; no worker yet: queued.
        const runId = String(
          (JSON.parse(cli(['feature', PRODUCT_REQUEST, '--pool', '--yes', '--json'], shop.dir)) as { runId: string })
            .runId,
        );
        const item = sidebar.locator(`[data-testid="pool-run"][data-run-id="${runId}"]`);
        await item.and(sidebar.locator('[data-status="queued"]')).waitFor({ timeout: 20_000 });
        assert.match(await item.getByTestId('pool-run-worker').innerText(), /no worker yet/);

        // A worker joins from its own clone (another machine), with the model's address and key in its environment only.
        const worker = startWorker(pool, remote, WORKER, s.api.url);
        try {
          // The spec written, the run waits at the gate holding no worker; Approve here queues it again.
          await item.and(sidebar.locator('[data-status="awaiting-approval"]')).waitFor({ timeout: 60_000 });
          assert.match(await item.getByTestId('pool-run-worker').innerText(), new RegExp(`^by ${WORKER}$`));
          assert.equal(await item.getByRole('button', { name: /^Apply/ }).count(), 0, 'nothing to apply yet');
          await item.getByRole('button', { name: `Approve the spec of pooled run ${runId}` }).click();
          await sidebar.getByText(`pooled run ${runId} continues on the next free worker`).waitFor({ timeout: 20_000 });

          await item.and(sidebar.locator('[data-status="running"]')).waitFor({ timeout: 60_000 });
          assert.match(await item.getByTestId('pool-run-worker').innerText(), new RegExp(`^on ${WORKER}$`));
          await item.getByTestId('pool-run-detail').filter({ hasText: 'IMPLEMENT' }).waitFor({ timeout: 60_000 });
          await scrollSidebarTo(s, 'pool-panel');
          await sidebarShot(page, 'pool-running');

          // Journal: the run in the run panel from its journal as the worker mirrors it, followed while it goes.
          await item.getByRole('button', { name: `Show the journal of pooled run ${runId}` }).click();
          const panel = sidebar.locator(`[data-testid="run-panel"][data-run-id="${runId}"]`);
          await panel.waitFor({ timeout: 20_000 });
          assert.match(
            await panel.getByTestId('run-pooled').innerText(),
            /^Run on the pool of workers: its journal as they mirrored it, shown here as it grows\./,
          );
          assert.match(await panel.innerText(), new RegExp(`Feature: ${PRODUCT_REQUEST.slice(0, 20)}`));

          await item.and(sidebar.locator('[data-status="completed"]')).waitFor({ timeout: 120_000 });
          await panel.and(sidebar.locator('[data-status="completed"]')).waitFor({ timeout: 30_000 });
          assert.match(
            await panel.getByTestId('run-pooled').innerText(),
            /its journal as they mirrored it\. Approve, Stop or Apply it in the Pool section/,
          );
          assert.equal(
            await panel.locator('#btn-resume, #btn-rollback, #btn-show-changes').count(),
            0,
            'read-only: nothing of it is done here',
          );
          await sidebarShot(page, 'pool-journal');
          assert.match(
            await item.getByTestId('pool-run-worker').innerText(),
            new RegExp(`^by ${WORKER}$`),
            "the worker's name stays on the run",
          );
          assert.match(await item.innerText(), /result on orchestrator\/product-entity/);
          assert.match(
            await sidebar.getByTestId('pool-spend').innerText(),
            /^Team spend today \(\d{4}-\d\d-\d\d UTC\): \$\d+\.\d\d, no day budget set$/,
          );
          assert.equal(existsSync(join(shop.dir, 'server/entities/product.js')), false, 'nothing here before Apply');

          const apply = item.getByRole('button', { name: `Apply pooled run ${runId} (orchestrator/product-entity)` });
          await apply.click();
          const deadline = Date.now() + 60_000;
          while (!existsSync(join(shop.dir, 'server/entities/product.js')) && Date.now() < deadline)
            await new Promise((r) => setTimeout(r, 200));
          assert.equal(readFileSync(join(shop.dir, 'server/entities/product.js'), 'utf8'), PRODUCT_MODULE);
          assert.equal(git(shop.dir, 'rev-parse', 'HEAD').trim(), head, 'HEAD untouched');
          assert.equal(git(shop.dir, 'diff', '--cached', '--name-only'), '', 'nothing staged');
          await sidebar
            .getByText(`Applied pooled run ${runId} (branch orchestrator/product-entity)`)
            .waitFor({ timeout: 20_000 });
          await sidebarShot(page, 'pool-applied');
        } catch (error) {
          console.error(`worker log:\n${worker.log()}`);
          throw error;
        } finally {
          worker.child.kill('SIGKILL');
        }
      },
    );
  },
);
