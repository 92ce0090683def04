/**
 * Seed 000's `slice` through the real workbench (issue 29): New Feature with `slice` chosen in the
 * workflow picker on the sample shop, every role scripted on the local Messages API server. The
 * PRD gate (phase A, the spec gate) is approved in the spec's detail, the UAT gate (phase E) on
 * its own step with its QA report linked; the steps close one by one with their documents linked
 * where COMPLETE moved them (a link opens its file) → test-output/ui/workflow-slice.png.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { PRODUCT_REQUEST, productAgents } from '../../../bench/support/productFeature';
import { sliceRoles as roles } from './support/sliceRoles';
import { newFeatureWithWorkflow, steps, stepsAccessibility } from './support/workflows';
import { recordStatusTexts, scrollSidebarTo, shot, sidebarShot, withSession } from './support/session';
import { UI_TIMEOUT_MS } from './support/limits';

const documentsOf = async (sidebar: FrameLocator, phase: string): Promise<string[]> =>
  sidebar
    .locator(`[data-testid="workflow-step"][data-phase="${phase}"] [data-testid="step-document"]`)
    .evaluateAll((links) => links.map((a) => a.getAttribute('data-path') ?? ''));

test(
  'slice: the PRD gate and the UAT gate approved from the sidebar, the steps closed with their documents linked',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    await withSession('workflow-slice', { agents: { ...productAgents(), ...roles }, latencyMs: 120 }, async (s) => {
      const { page, sidebar, status } = s;
      const statusTexts = await recordStatusTexts(page);
      await newFeatureWithWorkflow(page, 'slice', PRODUCT_REQUEST);

      // Phase A: the PRD is the spec, decided where the spec gate always was; its step waits.
      await sidebar.locator('[data-testid="workflow-steps"][data-workflow="slice"]').waitFor({ timeout: 30_000 });
      await sidebar.locator('[data-testid="spec-detail"][data-pending]').waitFor({ timeout: 30_000 });
      await sidebar
        .locator('[data-testid="workflow-step"][data-phase="A"][data-state="waiting"]')
        .waitFor({ timeout: 10_000 });
      const atA = await steps(sidebar);
      assert.deepEqual(atA.slice(2, 5), [
        'A=waiting human:waiting',
        'B=pending check:pending',
        'C=pending check:pending',
      ]);
      assert.equal(atA.length, 10, `slice's phases: ${JSON.stringify(atA)}`);
      // The spec names its migration: the approval is the schema change's confirmation, nothing is asked (issue 44).
      await sidebar.getByTestId('btn-approve').click();

      // Phase E: the UAT gate on its own step, its QA report linked, the three actions there.
      const e = sidebar.locator('[data-testid="workflow-step"][data-phase="E"]');
      await sidebar
        .locator('[data-testid="workflow-step"][data-phase="E"][data-state="waiting"]')
        .waitFor({ timeout: 90_000 });
      await e.getByTestId('gate-decision-E').waitFor({ timeout: 5000 });
      const atE = await steps(sidebar);
      assert.deepEqual(atE.slice(2, 7), [
        'A=closed human:passed',
        'B=closed check:passed',
        'C=closed check:passed',
        'D=closed check:passed',
        'E=waiting human:waiting',
      ]);
      const qaReport = await documentsOf(sidebar, 'E');
      assert.equal(qaReport.length, 1);
      assert.match(qaReport[0]!, /^spec\/active\/[\w-]+\/qa-report\.md$/);
      assert.equal(
        await sidebar.locator('[data-testid="spec-detail"][data-pending]').count(),
        0,
        "the phase's gate is not the spec's decision",
      );
      await status.filter({ hasText: 'phase E awaiting approval' }).waitFor({ timeout: 5000 });
      await scrollSidebarTo(s, 'workflow-panel');
      await page.mouse.move(0, 0);
      await shot(page, 'workflow-slice-uat-gate');
      // Every step, gate, link and the gate's controls have a name a screen reader can say.
      assert.deepEqual(await stepsAccessibility(page), [], 'no unnamed control and nothing critical in the steps');
      await sidebar.getByTestId('btn-gate-approve-E').click();

      // F, G, COMPLETE: every step closed, every gate passed, the documents where COMPLETE moved them.
      await sidebar.locator('[data-testid="run-panel"][data-status="completed"]').waitFor({ timeout: 90_000 });
      await sidebar
        .locator('[data-testid="workflow-step"][data-phase="COMPLETE"][data-state="closed"]')
        .waitFor({ timeout: 10_000 });
      assert.deepEqual(await steps(sidebar), [
        'SYNC=closed',
        'UNDERSTAND=closed',
        'A=closed human:passed',
        'B=closed check:passed',
        'C=closed check:passed',
        'D=closed check:passed',
        'E=closed human:passed',
        'F=closed check:passed',
        'G=closed check:passed',
        'COMPLETE=closed check:passed',
      ]);
      const folder = /^(spec\/completed\/[\w-]+)\//.exec((await documentsOf(sidebar, 'A'))[0] ?? '')?.[1];
      assert.ok(folder, 'the PRD is linked in spec/completed/');
      assert.deepEqual(await documentsOf(sidebar, 'B'), [`${folder}/adr.md`, `${folder}/diagrams.md`]);
      assert.deepEqual(await documentsOf(sidebar, 'E'), [`${folder}/qa-report.md`]);
      assert.deepEqual(await documentsOf(sidebar, 'F'), ['docs/data/dictionary.md', `${folder}/slice-report.md`]);
      assert.deepEqual(await documentsOf(sidebar, 'G'), [`${folder}/retrospective.md`]);
      const texts = await statusTexts();
      assert.ok(
        texts.some((t) => /phase E awaiting approval/.test(t)),
        `the status bar said the UAT gate waited: ${JSON.stringify(texts)}`,
      );
      assert.ok(
        texts.some((t) => /· slice ·/.test(t)),
        'the status bar named the workflow',
      );
      for (const role of ['architect', 'data-security', 'qa', 'documenter', 'pm'])
        assert.ok(
          s.calls.some((c) => c.agent === role),
          `the ${role} role ran`,
        );

      // The QA report's link opens it.
      await sidebar.locator('[data-testid="workflow-step"][data-phase="E"] [data-testid="step-document"]').click();
      await page.locator('.tabs-container .tab', { hasText: 'qa-report.md' }).first().waitFor({ timeout: 10_000 });

      await scrollSidebarTo(s, 'workflow-panel');
      await page.mouse.move(0, 0);
      await sidebarShot(page, 'workflow-slice');
      await shot(page, 'workflow-slice-done');
      assert.deepEqual(s.api.scriptErrors, []);
    });
  },
);
