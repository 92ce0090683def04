/**
 * A feature end to end through the real workbench, like a user: command palette → "Orchestrator:
 * New Feature" → the request typed into the input box → the spec in the sidebar → Approve and
 * implement → the status bar through the phases (PROVE before IMPLEMENT: the shop's config has a
 * proof section, docs/proof.md) → the Product entity's files on disk → the review's rejection
 * (issue rows with file:line), the fix, the approval → the sidebar's traceability matrix with each
 * criterion's proof → test-output/ui/sidebar.png and test-output/ui/proof.png.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_PROOF_TESTS, PRODUCT_REQUEST, PRODUCT_SCREEN, withProof } from '../../../bench/support/productFeature';
import { PRODUCT_PROOF_FILE, PRODUCT_PROOF_TEST } from '../../support/productFeature';
import { productAgentsRejectingOnce, REVIEW_ISSUE } from './support/agents';
import { answerModal, newFeatureFromPalette, recordStatusTexts, scrollSidebarTo, shot, sidebarShot, traceShot, widenSidebar, withSession } from './support/session';
import { UI_TIMEOUT_MS } from './support/limits';

test('New Feature → spec → approve → implement → review → done', { timeout: UI_TIMEOUT_MS }, async () => {
  const t0 = performance.now();
  // The scripted proof agent (among productAgents) writes REQ-1's tests before the code; REQ-2.1 is untestable.
  await withSession('feature', { agents: productAgentsRejectingOnce({ specNamesMigration: false }), latencyMs: 250, shop: { config: withProof } }, async (s) => {
    const { page, sidebar, status } = s;
    const statusTexts = await recordStatusTexts(page);
    console.log(`workbench ready in ${(s.wb.readyMs / 1000).toFixed(1)} s`);

    await newFeatureFromPalette(page, PRODUCT_REQUEST);

    // The spec agent's spec, waiting for the decision in the sidebar (revealed by the extension).
    const body = sidebar.getByTestId('spec-body');
    await body.waitFor({ timeout: 30_000 });
    await sidebar.locator('[data-testid="spec-body"]', { hasText: 'Spec: Product entity' }).waitFor({ timeout: 5000 });
    await sidebar.locator('[data-testid="spec-detail"][data-pending]').waitFor({ timeout: 5000 });
    assert.match(await body.innerText(), /Add a Product entity \(name, price\)/);
    await status.filter({ hasText: 'spec awaiting approval' }).waitFor({ timeout: 5000 });
    const tSpec = performance.now();

    await sidebar.getByTestId('btn-approve').click();

    // The database layer's migration is a schema change the spec does not name (only its folder):
    // the engine asks first (a modal).
    const question = await answerModal(page, /will change the schema/);
    assert.match(question, /db\/migrations\/003_create_product\.sql/);

    // Round 1 of the review rejects: the issue row with file:line, before the fix.
    const issue = sidebar.locator(
      `[data-testid="review-issue"][data-file="${REVIEW_ISSUE.file}"][data-line="${REVIEW_ISSUE.line}"][data-severity="${REVIEW_ISSUE.severity}"]`,
    );
    await issue.waitFor({ timeout: 45_000 });
    assert.match(await issue.innerText(), new RegExp(`${REVIEW_ISSUE.file}:${REVIEW_ISSUE.line}`));
    assert.equal(await sidebar.locator('[data-testid="review-verdict"]').innerText(), 'rejected');
    await scrollSidebarTo(s, 'review-panel').catch(() => undefined);
    await shot(page, 'feature-review-rejected').catch(() => undefined);

    // The fix, the second review, COMPLETE: done.
    await status.filter({ hasText: 'done' }).waitFor({ timeout: 45_000 });
    const tDone = performance.now();
    await sidebar.locator('[data-testid="run-panel"][data-status="completed"]').waitFor({ timeout: 10_000 });
    await sidebar.locator('[data-testid="review-panel"][data-verdict="approved"]').waitFor({ timeout: 10_000 });
    assert.equal(await sidebar.locator('[data-testid="review-verdict"]').innerText(), 'approved');
    assert.equal(await sidebar.locator('[data-testid="review-issue"]').count(), 0, 'the approving round lists no issue');

    const texts = await statusTexts();
    console.log(`status bar texts: ${JSON.stringify(texts)}`);
    assert.ok(texts.some((t) => /spec awaiting approval/.test(t)), 'the status bar showed the spec awaiting approval');
    assert.ok(texts.some((t) => /^IMPLEMENT\b/.test(t)), 'the status bar showed IMPLEMENT');
    assert.ok(texts.some((t) => /^REVIEW\b/.test(t)), 'the status bar showed REVIEW');
    assert.match(texts.at(-1) ?? '', /Orchestrator: done · \$\d+\.\d\d/);
    assert.ok(texts.some((t) => /^PROVE\b/.test(t)), 'the status bar showed PROVE');
    const order = ['SPEC', 'PROVE', 'IMPLEMENT', 'REVIEW', 'Orchestrator: done'].map((p) => texts.findIndex((t) => t.startsWith(p)));
    assert.deepEqual([...order].sort((a, b) => a - b), order, `phases out of order: ${JSON.stringify(texts)}`);

    // The Product entity's files, as the scripted agents wrote them (the review fix included).
    const file = (p: string) => join(s.shop.dir, p);
    for (const p of ['db/migrations/003_create_product.sql', 'server/entities/product.js', 'web/src/products.js']) assert.ok(existsSync(file(p)), `${p} exists`);
    assert.equal(readFileSync(file('db/migrations/003_create_product.sql'), 'utf8'), PRODUCT_MIGRATION);
    assert.equal(readFileSync(file('server/entities/product.js'), 'utf8'), PRODUCT_MODULE);
    assert.equal(readFileSync(file('web/src/products.js'), 'utf8'), PRODUCT_SCREEN);

    // Every layer passed; the review-fix was the backend's second conversation.
    for (const layer of ['database', 'backend', 'frontend']) {
      await sidebar.locator(`[data-testid="layer-row"][data-layer="${layer}"][data-state="passed"]`).waitFor({ timeout: 5000 });
    }
    assert.deepEqual(
      [...new Set(s.calls.filter((c) => c.agent === 'review').map((c) => c.attempt))],
      [1, 2],
      'two review rounds',
    );
    assert.ok(s.calls.some((c) => c.agent === 'backend' && c.attempt === 2), 'the backend fixed the review issue');
    // The proof agent wrote its tests before any layer agent was asked; nobody changed them after.
    const lastProof = s.calls.map((c) => c.agent).lastIndexOf('proof');
    const firstLayer = s.calls.findIndex((c) => ['database', 'backend', 'frontend'].includes(c.agent));
    assert.ok(lastProof >= 0 && lastProof < firstLayer, `model calls in order: ${s.calls.map((c) => c.agent).join(' ')}`);
    assert.equal(s.shop.read(PRODUCT_PROOF_FILE), PRODUCT_PROOF_TEST);
    assert.deepEqual(s.api.scriptErrors, []);

    // The finished run moved its spec to spec/completed: the list shows it as completed.
    await sidebar.locator('[data-testid="spec-item"][data-status="completed"]', { hasText: 'Product entity' }).waitFor({ timeout: 5000 });

    // The run's workflow steps show PROVE, closed, between the spec's gate and IMPLEMENT.
    const steps = sidebar.locator('[data-testid="workflow-step"]');
    const phases = await steps.evaluateAll((els) => els.map((el) => `${el.getAttribute('data-phase')}=${el.getAttribute('data-state')}`));
    assert.deepEqual(phases.slice(0, 5), ['SYNC=closed', 'UNDERSTAND=closed', 'SPEC=closed', 'PROVE=closed', 'IMPLEMENT=closed'], phases.join(' '));

    // What a user sees of the proof: the matrix's Proof column, each criterion's mark and status,
    // the test in its tooltip, the count line under the table.
    await scrollSidebarTo(s, 'trace-panel');
    const headers = await sidebar.locator('[data-testid="trace-table"] thead th').allInnerTexts();
    assert.equal(headers.at(-1), 'Proof', `the matrix's columns: ${headers.join(', ')}`);
    const cells = await sidebar.locator('[data-testid="trace-row"] td[data-column="proof"]').evaluateAll((tds) =>
      tds.map((td) => [td.closest('tr')?.getAttribute('data-criterion'), td.getAttribute('data-proof'), (td as HTMLElement).innerText.trim(), td.getAttribute('title')]),
    );
    const tooltip = (i: number) => `${PRODUCT_PROOF_FILE} › ${PRODUCT_PROOF_TESTS[i]!.name}\nred on base: failed\ngreen after: passed`;
    assert.deepEqual(cells, [
      ['REQ-1.1', 'proven', '✓ proven', tooltip(0)],
      ['REQ-1.2', 'proven', '✓ proven', tooltip(1)],
      ['REQ-2.1', 'unproven', '○ unproven', 'untestable: the list is what the screen shows in a browser; the review judges it'],
    ]);
    assert.equal(await sidebar.getByTestId('trace-proof').innerText(), 'Proof: 2 proven, 1 unproven');

    // The picture for the README: the sidebar at the end of the run.
    await page.mouse.move(0, 0);
    await scrollSidebarTo(s, 'run-panel');
    await sidebarShot(page, 'sidebar');
    await shot(page, 'feature');
    // The picture for docs/proof.md: the matrix with its Proof column, the side bar widened to show every column.
    await widenSidebar(page, 940);
    await traceShot(s, 'proof');
    console.log(
      `spec shown ${((tSpec - t0) / 1000).toFixed(1)} s after start; approve → done ${((tDone - tSpec) / 1000).toFixed(1)} s; ` +
        `${s.api.requests.length} model calls`,
    );
  });
});
