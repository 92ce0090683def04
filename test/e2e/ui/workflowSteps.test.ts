/**
 * Workflows in the sidebar (issue 29) through the real workbench: New Feature's workflow button
 * lists the workspace's workflows (its own `lean`, the shipped feature, slice and squads); `lean`
 * chosen (the engine's steps without the review) reaches the engine, which never calls the review
 * agent; the sidebar shows lean's phases as steps, the SPEC step waiting at its gate while the spec
 * is decided where it always was, then every step closed with its gate passed and the spec linked
 * where COMPLETE moved it (the link opens it); after a window reload the steps are rebuilt from
 * the journal → test-output/ui/workflow-steps.png.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { PRODUCT_REQUEST, productAgents } from '../../../bench/support/productFeature';
import { waitForWorkbench } from '../harness';
import { openSidebar, recordStatusTexts, scrollSidebarTo, shot, sidebarShot, withSession } from './support/session';
import { newFeatureWithWorkflow, steps } from './support/workflows';
import { UI_TIMEOUT_MS } from './support/limits';

const LEAN = `# A workflow of this workspace: the engine's steps without the review.
version: 1
description: Spec, build and complete, without the review.
phases:
  - { name: SYNC, uses: sync, gate: none }
  - { name: UNDERSTAND, uses: understand, inputs: [request, census], gate: none }
  - name: SPEC
    title: The spec, approved in the sidebar
    uses: spec
    role: { agent: spec, access: read-only }
    inputs: [request, UNDERSTAND]
    outputs: [{ document: spec, path: "{spec}/spec.md" }]
    gate: human
  - name: BUILD
    title: One agent per layer, validated
    uses: implement
    role: { agent: layer, access: write }
    fanOut: layers
    inputs: [SPEC.spec]
    outputs: [code]
    gate: { check: [validate] }
  - name: COMPLETE
    title: Archive the spec
    uses: complete
    inputs: [SPEC.spec]
    gate: { check: [trace] }
`;

test(
  'the workflow picker, the run as steps, the spec gate on its step, documents linked, rebuilt after a reload',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    await withSession(
      'workflow-steps',
      { agents: productAgents(), latencyMs: 150, shop: { files: { '.claude/workflows/lean.yaml': LEAN } } },
      async (s) => {
        const { page, sidebar, status } = s;
        const statusTexts = await recordStatusTexts(page);

        const listed = await newFeatureWithWorkflow(page, 'lean', PRODUCT_REQUEST);
        console.log(`picker rows: ${JSON.stringify(listed)}`);
        assert.deepEqual(
          listed,
          ['lean', 'feature', 'slice', 'squads'],
          "the workspace's own workflow first, then the shipped ones",
        );

        // The run follows lean: its five phases as steps; SPEC waits at its human gate, decided in the spec's detail.
        const panel = sidebar.locator('[data-testid="workflow-steps"][data-workflow="lean"]');
        await panel.waitFor({ timeout: 30_000 });
        await sidebar.locator('[data-testid="spec-detail"][data-pending]').waitFor({ timeout: 30_000 });
        const spec = sidebar.locator('[data-testid="workflow-step"][data-phase="SPEC"]');
        await sidebar
          .locator('[data-testid="workflow-step"][data-phase="SPEC"][data-state="waiting"]')
          .waitFor({ timeout: 10_000 });
        assert.deepEqual(await steps(sidebar), [
          'SYNC=closed',
          'UNDERSTAND=closed',
          'SPEC=waiting human:waiting',
          'BUILD=pending check:pending',
          'COMPLETE=pending check:pending',
        ]);
        assert.match(
          (await spec.getAttribute('aria-label')) ?? '',
          /^Phase SPEC, The spec, approved in the sidebar, waiting; human gate waiting$/,
        );
        assert.match(await spec.innerText(), /role spec/);
        await spec.getByTestId('step-spec-gate').waitFor({ timeout: 5000 });
        await status.filter({ hasText: 'spec awaiting approval' }).waitFor({ timeout: 5000 });
        await scrollSidebarTo(s, 'workflow-panel');
        await shot(page, 'workflow-steps-spec-gate');

        // The spec names its migration: the approval is the schema change's confirmation, nothing is asked (issue 44).
        await sidebar.getByTestId('btn-approve').click();

        await sidebar.locator('[data-testid="run-panel"][data-status="completed"]').waitFor({ timeout: 60_000 });
        await sidebar
          .locator('[data-testid="workflow-step"][data-phase="COMPLETE"][data-state="closed"]')
          .waitFor({ timeout: 10_000 });
        const done = await steps(sidebar);
        assert.deepEqual(done, [
          'SYNC=closed',
          'UNDERSTAND=closed',
          'SPEC=closed human:passed',
          'BUILD=closed check:passed',
          'COMPLETE=closed check:passed',
        ]);
        assert.equal(await sidebar.getByTestId('workflow-progress').innerText(), '5/5 closed');
        assert.ok(
          !s.calls.some((c) => c.agent === 'review'),
          'lean has no REVIEW: the chosen workflow reached the engine',
        );
        const texts = await statusTexts();
        assert.ok(
          texts.some((t) => /· lean ·/.test(t)),
          `the status bar named the workflow: ${JSON.stringify(texts)}`,
        );

        // The spec, linked where COMPLETE moved it; the link opens it.
        const link = spec.getByTestId('step-document');
        const path = await link.getAttribute('data-path');
        assert.match(path ?? '', /^spec\/completed\/[\w-]+\/spec\.md$/);
        await link.click();
        // The tab appears a moment after the click; its breadcrumbs say which spec.md it is.
        await page.locator('.tabs-container .tab', { hasText: 'spec.md' }).first().waitFor({ timeout: 10_000 });
        const crumbs = (await page.locator('.breadcrumbs-control .monaco-breadcrumb-item').allInnerTexts())
          .map((t) => t.trim())
          .filter(Boolean);
        assert.deepEqual(crumbs.slice(0, 4), path!.split('/'), `the linked file opened: ${JSON.stringify(crumbs)}`);

        await page.mouse.move(0, 0);
        await scrollSidebarTo(s, 'workflow-panel');
        await sidebarShot(page, 'workflow-steps');

        // After a reload the steps come back from the run's journal.
        await page.reload({ waitUntil: 'domcontentloaded' });
        await waitForWorkbench(page);
        await openSidebar(s, 30_000);
        await sidebar.locator('[data-testid="workflow-steps"][data-workflow="lean"]').waitFor({ timeout: 20_000 });
        // The steps come from the run's journal a moment after the panel (10 s was too short once on a loaded machine).
        for (let i = 0; i < 120 && JSON.stringify(await steps(sidebar)) !== JSON.stringify(done); i++)
          await page.waitForTimeout(250);
        assert.deepEqual(
          await steps(sidebar),
          done,
          `the panel after the reload: ${await sidebar.locator('[data-testid="workflow-steps"]').innerText()}`,
        );
        await shot(page, 'workflow-steps-after-reload');
        assert.deepEqual(s.api.scriptErrors, []);
      },
    );
  },
);
