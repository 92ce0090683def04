/**
 * Issue 39 in the real workbench: a window opened (or reloaded) while another process (`serve`,
 * running a run from GitHub issue #7) holds the run's lock shows that run as running elsewhere,
 * with no Resume, and follows its journal as it grows; once that process is gone without an end in
 * the journal (serve killed), the run turns stopped with Resume.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { test } from 'node:test';
import { PRODUCT_REQUEST, productAgents } from '../../../bench/support/productFeature';
import type { EngineEvent } from '../../../src/core/events';
import { Journal } from '../../../src/core/journal/journal';
import { lockPath } from '../../../src/core/journal/runPaths';
import { openSidebar, sidebarShot, withSession } from './support/session';
import { UI_TIMEOUT_MS } from './support/limits';

const RUN_ID = 'r-github-elsewhere';
const ISSUE = 'https://github.example/acme/shop/issues/7';

test(
  'a run another process (serve) runs shows as running elsewhere, without Resume, follows its journal, and offers Resume once that process is gone',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    // `serve` stands here as another live process holding the run's lock.
    const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 140000)'], { stdio: 'ignore' });
    try {
      await withSession('github-run-elsewhere', { agents: productAgents(), sidebarWidth: 560 }, async (s) => {
        const { page, sidebar } = s;
        const journal = Journal.create(s.shop.dir, RUN_ID);
        const append = (...events: EngineEvent[]) => events.forEach((event) => journal.append(event));
        try {
          append(
            {
              type: 'run.started',
              runId: RUN_ID,
              kind: 'feature',
              request: `${PRODUCT_REQUEST}\n\n(GitHub issue #7: ${ISSUE})`,
            },
            { type: 'github.issue.linked', url: ISSUE, by: 'alice' },
            { type: 'phase.started', phase: 'IMPLEMENT' },
            { type: 'agent.started', agent: 'backend', attempt: 1, mode: 'implement' },
          );
          mkdirSync(dirname(lockPath(s.shop.dir)), { recursive: true });
          writeFileSync(
            lockPath(s.shop.dir),
            `${JSON.stringify({ pid: owner.pid, runId: RUN_ID, started: new Date().toISOString() })}\n`,
          );

          await openSidebar(s);
          const panel = sidebar.locator(`[data-testid="run-panel"][data-run-id="${RUN_ID}"]`);
          await panel.waitFor({ timeout: 30_000 });
          assert.equal(await panel.getAttribute('data-status'), 'running');
          await panel.getByTestId('run-elsewhere').waitFor();
          assert.equal(await panel.getByTestId('btn-resume').count(), 0, 'no Resume for a run another process runs');
          assert.equal(await panel.getByTestId('run-interrupted').count(), 0);
          await sidebarShot(page, 'github-run-elsewhere');

          await panel.locator('[data-testid="layer-row"][data-layer="backend"][data-state="running"]').waitFor();
          // Its journal grows: the panel follows (the layer's row leaves "running").
          append({
            type: 'agent.completed',
            agent: 'backend',
            attempt: 1,
            outcome: 'submitted',
            summary: 'Product entity written',
          });
          await panel
            .locator('[data-testid="layer-row"][data-state="running"]')
            .waitFor({ state: 'detached', timeout: 20_000 });

          // serve is killed: nothing more in the journal, nobody holds the run: stopped, with Resume.
          owner.kill('SIGKILL');
          await panel.getByTestId('btn-resume').waitFor({ timeout: 30_000 });
          assert.equal(await panel.getAttribute('data-status'), 'interrupted');
          assert.equal(await panel.getByTestId('run-elsewhere').count(), 0);
        } finally {
          journal.close();
        }
      });
    } finally {
      owner.kill('SIGKILL');
    }
  },
);
