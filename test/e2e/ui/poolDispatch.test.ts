/**
 * New Feature in the real workbench with `runs.dispatch: pool` in the workspace's config (issue
 * 28), on a real PostgreSQL with a bare git repository as the team's remote: the run is not started
 * here (no journal under .claude/runs, no model called) but put in the pool, as `feature --pool`
 * does from a terminal: queued in PostgreSQL with its base commit, the user's uncommitted change
 * pushed on `refs/orchestrator/base/<runId>` of the remote, "Sent to the pool as <runId>" said,
 * and the run shown queued in the sidebar's Pool section. Then a real `orchestrator worker` in its
 * own clone takes it and runs it to its spec gate. Audit to Target is sent to the pool the same way.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { git } from '../../../bench/support/git';
import { PRODUCT_REQUEST, productAgents } from '../../../bench/support/productFeature';
import { PoolStore } from '../../../src/pool/poolStore';
import {
  auditFromPalette,
  findNotification,
  newFeatureFromPalette,
  openSidebar,
  sidebarShot,
  withSession,
} from './support/session';
import { pooledRows, startWorker, teamRemote, uiPool } from './support/uiPool';
import { UI_TIMEOUT_MS } from './support/limits';

const WORKER = 'ui-dispatch-worker';
const PENDING = 'server/pending-note.js';
const PENDING_TEXT =
  "// not committed yet: travels to the worker on the run's private ref\nexport const pending = true;\n";

const pool = uiPool('pool_dispatch');

test(
  'with runs.dispatch: pool, New Feature puts the run in the pool (base commit, uncommitted change on its ref) instead of running it here; a worker takes it',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    await withSession(
      'pool-dispatch',
      {
        agents: productAgents(),
        shop: { config: (yaml) => `${yaml}\nqueue:\n  url: ${pool.url}\n  leaseSec: 10\nruns:\n  dispatch: pool\n` },
        sidebarWidth: 560,
      },
      async (s) => {
        const { page, sidebar, shop } = s;
        const remote = teamRemote(pool, shop.dir);
        const head = git(shop.dir, 'rev-parse', 'HEAD').trim();
        writeFileSync(join(shop.dir, PENDING), PENDING_TEXT);
        await openSidebar(s);
        await sidebar.getByTestId('pool-panel').waitFor({ timeout: 30_000 });

        await newFeatureFromPalette(page, PRODUCT_REQUEST);
        const notice = await findNotification(page, /Sent to the pool as /, 60_000);
        const runId = /Sent to the pool as (\S+?)\./.exec(await notice.innerText())?.[1];
        assert.ok(runId, 'the notification names the run');

        // In PostgreSQL, as the CLI reads it: queued, the request as typed.
        const rows = pooledRows(shop.dir);
        const row = rows.find((r) => r.runId === runId);
        assert.deepEqual(row && { status: row.status, kind: row.kind, request: row.request }, {
          status: 'queued',
          kind: 'feature',
          request: PRODUCT_REQUEST,
        });
        // On the remote: the snapshot of the checkout, the uncommitted file in it, on top of HEAD.
        const ref = `refs/orchestrator/base/${runId}`;
        assert.equal(
          execFileSync('git', ['--git-dir', remote, 'show', `${ref}:${PENDING}`], { encoding: 'utf8' }),
          PENDING_TEXT,
        );
        assert.equal(execFileSync('git', ['--git-dir', remote, 'merge-base', '--is-ancestor', head, ref]).length, 0);
        // Nothing ran here: no journal, no model call, the working tree as it was.
        const runs = join(shop.dir, '.claude', 'runs');
        assert.deepEqual(existsSync(runs) ? readdirSync(runs) : [], [], 'no local run journal');
        assert.equal(s.calls.length, 0, 'no model called from VS Code');
        assert.equal(git(shop.dir, 'rev-parse', 'HEAD').trim(), head);

        const item = sidebar.locator(`[data-testid="pool-run"][data-run-id="${runId}"]`);
        await item.and(sidebar.locator('[data-status="queued"]')).waitFor({ timeout: 20_000 });
        await sidebarShot(page, 'pool-dispatched');

        // A worker in its own clone takes it and runs its spec phase; the run waits at the gate.
        const worker = startWorker(pool, remote, WORKER, s.api.url);
        try {
          await item.and(sidebar.locator('[data-status="awaiting-approval"]')).waitFor({ timeout: 90_000 });
          assert.match(await item.getByTestId('pool-run-worker').innerText(), new RegExp(`^by ${WORKER}$`));
          assert.ok(s.calls.length > 0, 'the worker called the model');
          assert.deepEqual(existsSync(runs) ? readdirSync(runs) : [], [], 'still no local run journal');
        } catch (error) {
          console.error(`worker log:\n${worker.log()}`);
          throw error;
        } finally {
          worker.child.kill('SIGKILL');
        }

        // Audit to Target goes to the pool too, as `audit server --pool`: its settings with it, nothing run here.
        await auditFromPalette(page, 'server', 'backend', 90);
        const audited = await findNotification(page, new RegExp(`Sent to the pool as (?!${runId})`), 60_000);
        const auditId = /Sent to the pool as (\S+?)\./.exec(await audited.innerText())?.[1];
        const auditRow = pooledRows(shop.dir).find((r) => r.runId === auditId);
        assert.deepEqual(auditRow && { status: auditRow.status, kind: auditRow.kind, request: auditRow.request }, {
          status: 'queued',
          kind: 'audit',
          request: 'audit server',
        });
        const store = await PoolStore.open(pool.url, 1);
        try {
          assert.deepEqual((await store.get(auditId!))?.flags.audit, {
            target: 'server',
            dimension: 'backend',
            targetScore: 90,
          });
        } finally {
          await store.close();
        }
        assert.deepEqual(existsSync(runs) ? readdirSync(runs) : [], [], 'the audit did not run here');
      },
    );
  },
);
