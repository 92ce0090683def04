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
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { GIT_ENV, git } from '../../../bench/support/git';
import { PRODUCT_REQUEST, productAgents } from '../../../bench/support/productFeature';
import { PoolStore } from '../../../src/pool/poolStore';
import { freshDatabase, startPostgres, type Postgres } from '../../support/postgres';
import { auditFromPalette, findNotification, newFeatureFromPalette, openSidebar, sidebarShot, withSession } from './support/session';

const CLI = resolve(__dirname, '../../../dist/cli.js');
const WORKER = 'ui-dispatch-worker';
const PENDING = 'server/pending-note.js';
const PENDING_TEXT = "// not committed yet: travels to the worker on the run's private ref\nexport const pending = true;\n";

let pg: Postgres;
let url: string;
const root = mkdtempSync(join(tmpdir(), 'orch-pool-dispatch-ui-'));
before(async () => {
  pg = await startPostgres();
  url = await freshDatabase(pg, 'pool_dispatch');
});
after(() => {
  pg?.stop();
  rmSync(root, { recursive: true, force: true });
});

interface PooledRow { runId: string; status: string; kind: string; request: string }

test('with runs.dispatch: pool, New Feature puts the run in the pool (base commit, uncommitted change on its ref) instead of running it here; a worker takes it', { timeout: 240_000 }, async () => {
  const remote = join(root, 'remote.git');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', remote]);
  let worker: ChildProcess | undefined;
  let workerLog = '';
  await withSession('pool-dispatch', {
    agents: productAgents(),
    shop: { config: (yaml) => `${yaml}\nqueue:\n  url: ${url}\n  leaseSec: 10\nruns:\n  dispatch: pool\n` },
    sidebarWidth: 560,
  }, async (s) => {
    const { page, sidebar, shop } = s;
    git(shop.dir, 'remote', 'add', 'origin', remote);
    git(shop.dir, 'push', '-q', 'origin', 'main');
    const head = git(shop.dir, 'rev-parse', 'HEAD').trim();
    writeFileSync(join(shop.dir, PENDING), PENDING_TEXT);
    await openSidebar(s);
    await sidebar.getByTestId('pool-panel').waitFor({ timeout: 30_000 });

    await newFeatureFromPalette(page, PRODUCT_REQUEST);
    const notice = await findNotification(page, /Sent to the pool as /, 60_000);
    const runId = /Sent to the pool as (\S+?)\./.exec(await notice.innerText())?.[1];
    assert.ok(runId, 'the notification names the run');

    // In PostgreSQL, as the CLI reads it: queued, the request as typed.
    const rows = JSON.parse(execFileSync(process.execPath, [CLI, 'runs', '--pool', '--json'], { cwd: shop.dir, env: { ...GIT_ENV, NO_COLOR: '1' }, encoding: 'utf8' })) as PooledRow[];
    const row = rows.find((r) => r.runId === runId);
    assert.deepEqual(row && { status: row.status, kind: row.kind, request: row.request }, { status: 'queued', kind: 'feature', request: PRODUCT_REQUEST });
    // On the remote: the snapshot of the checkout, the uncommitted file in it, on top of HEAD.
    const ref = `refs/orchestrator/base/${runId}`;
    assert.equal(execFileSync('git', ['--git-dir', remote, 'show', `${ref}:${PENDING}`], { encoding: 'utf8' }), PENDING_TEXT);
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
    const folder = join(root, 'worker');
    execFileSync('git', ['clone', '-q', remote, folder]);
    worker = spawn(process.execPath, [CLI, 'worker', '--name', WORKER], {
      cwd: folder,
      env: { ...GIT_ENV, NO_COLOR: '1', XDG_CACHE_HOME: join(root, 'cache'), ANTHROPIC_BASE_URL: s.api.url, ANTHROPIC_API_KEY: 'test-key' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    worker.stderr!.on('data', (chunk: Buffer) => (workerLog += chunk.toString('utf8')));
    try {
      await item.and(sidebar.locator('[data-status="awaiting-approval"]')).waitFor({ timeout: 90_000 });
      assert.match(await item.getByTestId('pool-run-worker').innerText(), new RegExp(`^by ${WORKER}$`));
      assert.ok(s.calls.length > 0, 'the worker called the model');
      assert.deepEqual(existsSync(runs) ? readdirSync(runs) : [], [], 'still no local run journal');
    } catch (error) {
      console.error(`worker log:\n${workerLog}`);
      throw error;
    } finally {
      worker.kill('SIGKILL');
    }

    // Audit to Target goes to the pool too, as `audit server --pool`: its settings with it, nothing run here.
    await auditFromPalette(page, 'server', 'backend', 90);
    const audited = await findNotification(page, new RegExp(`Sent to the pool as (?!${runId})`), 60_000);
    const auditId = /Sent to the pool as (\S+?)\./.exec(await audited.innerText())?.[1];
    const auditRow = (JSON.parse(execFileSync(process.execPath, [CLI, 'runs', '--pool', '--json'], { cwd: shop.dir, env: { ...GIT_ENV, NO_COLOR: '1' }, encoding: 'utf8' })) as PooledRow[]).find((r) => r.runId === auditId);
    assert.deepEqual(auditRow && { status: auditRow.status, kind: auditRow.kind, request: auditRow.request }, { status: 'queued', kind: 'audit', request: 'audit server' });
    const store = await PoolStore.open(url, 1);
    try {
      assert.deepEqual((await store.get(auditId!))?.flags.audit, { target: 'server', dimension: 'backend', targetScore: 90 });
    } finally {
      await store.close();
    }
    assert.deepEqual(existsSync(runs) ? readdirSync(runs) : [], [], 'the audit did not run here');
  });
});
