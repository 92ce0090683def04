/**
 * A VS Code run waiting at a workflow phase's gate continues when a supervisor decides it in the
 * portal (issue 29): `slice` through the real workbench, its PRD gate approved in the sidebar; at
 * E's UAT gate the portal (served on the same workspace) lists the run as waiting in a window, a
 * supervisor approves phase E on the portal's Specs page in Chromium (axe-core checked), and the
 * window's run goes on: E closes with its gate passed, F and G run, the run completes.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { PRODUCT_REQUEST, productAgents } from '../../../bench/support/productFeature';
import { axeViolations, blocking } from '../harness/axe';
import { sharedBrowser } from '../harness/shared';
import { portalWorld, PASSWORDS, type PortalWorld } from '../../support/portal/portalKit';
import { sliceRoles } from './support/sliceRoles';
import { newFeatureWithWorkflow, steps } from './support/workflows';
import { shot, withSession } from './support/session';
import { UI_TIMEOUT_MS } from './support/limits';

test(
  "slice: the UAT gate of a run waiting in VS Code is approved in the portal, and the window's run goes on to the end",
  { timeout: UI_TIMEOUT_MS },
  async () => {
    await withSession(
      'workflow-portal-gate',
      { agents: { ...productAgents(), ...sliceRoles }, latencyMs: 120 },
      async (s) => {
        const { page, sidebar } = s;
        await newFeatureWithWorkflow(page, 'slice', PRODUCT_REQUEST);
        await sidebar.locator('[data-testid="spec-detail"][data-pending]').waitFor({ timeout: 30_000 });
        // The spec names its migration: the approval is the schema change's confirmation, nothing is asked (issue 44).
        await sidebar.getByTestId('btn-approve').click();
        await sidebar
          .locator('[data-testid="workflow-step"][data-phase="E"][data-state="waiting"]')
          .waitFor({ timeout: 90_000 });

        // The supervisor's own browser (a context of its own: no cookie nor storage of the window's), on the portal served on the same workspace.
        let portal: PortalWorld | undefined;
        const supervisor = await (await sharedBrowser()).newContext({ viewport: { width: 1200, height: 900 } });
        try {
          const browserPage = await supervisor.newPage();
          portal = await portalWorld({ dir: s.shop.dir });
          await browserPage.goto(`http://127.0.0.1:${portal.port}/#/specs`);
          await browserPage.getByLabel('Name').fill('sam');
          await browserPage.getByLabel('Password').fill(PASSWORDS.sam);
          await browserPage.keyboard.press('Enter');
          const card = browserPage.locator('article[data-gate$="-E"]');
          await card.waitFor({ timeout: 15_000 });
          assert.match(await card.innerText(), /a VS Code window waits at this gate/);
          await card
            .getByRole('region', { name: /qa-report\.md \(phase E\)$/ })
            .getByRole('heading', { name: 'QA report' })
            .waitFor();
          const bad = blocking(await axeViolations(browserPage));
          assert.deepEqual(bad, [], JSON.stringify(bad, null, 1));
          await card.getByRole('button', { name: 'Approve phase E' }).click();
          await browserPage
            .locator('#notice')
            .filter({ hasText: /Approved: phase E of .* \(by sam\)/ })
            .waitFor();

          // The window heard the portal: its run goes on past E without anyone touching the sidebar.
          await sidebar.locator('[data-testid="run-panel"][data-status="completed"]').waitFor({ timeout: 120_000 });
          const done = await steps(sidebar);
          assert.deepEqual(done.slice(6), [
            'E=closed human:passed',
            'F=closed check:passed',
            'G=closed check:passed',
            'COMPLETE=closed check:passed',
          ]);
          await shot(page, 'workflow-portal-gate');
          await browserPage.reload();
          await browserPage.getByText('No workflow phase is waiting for a decision.').waitFor();
        } finally {
          await supervisor.close();
          await portal?.close();
        }
      },
    );
  },
);
