/**
 * The waiver of untested requirements from the sidebar (issue 29), through the real workbench: a
 * workspace's workflow whose phase F checks the matrix (every requirement has a test), like seed
 * 000's F. New Feature offers the waiver on its input box once that workflow is chosen (not
 * clicked here); the run stops at F for REQ-1 and REQ-2, which have no test; F's step names them
 * and offers "Allow untested…"; the confirmation names them; the run resumes and completes, with
 * `trace.waived` in its journal and the waiver in the matrix, exactly as `orchestrator resume
 * --allow-untested` → test-output/ui/workflow-waiver.png.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PRODUCT_REQUEST, productAgents } from '../../../bench/support/productFeature';
import { answerModal, scrollSidebarTo, shot, sidebarShot, withSession } from './support/session';
import { newFeatureWithWorkflow, steps, stepsAccessibility } from './support/workflows';
import { UI_TIMEOUT_MS } from './support/limits';

const SHIPPED_FEATURE = readFileSync(join(__dirname, '../../../.claude/workflows/feature.yaml'), 'utf8');
/** Today's pipeline with its review phase named F and gated, like seed 000's F, by the matrix being complete. */
const TESTED = SHIPPED_FEATURE.replace('  - name: REVIEW\n', '  - name: F\n').replace(
  '    gate: { check: [review] }\n',
  '    gate: { check: [review, trace] }\n',
);

test(
  'a run stopped at F for requirements with no test is waived from its step, confirmed, and completes with trace.waived journaled',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    assert.match(TESTED, /name: F\n[\s\S]*check: \[review, trace\]/);
    await withSession(
      'workflow-waiver',
      { agents: productAgents(), latencyMs: 100, shop: { files: { '.claude/workflows/tested.yaml': TESTED } } },
      async (s) => {
        const { page, sidebar } = s;
        // New Feature: once `tested` is chosen, the box offers the waiver (as `feature --allow-untested`); left off.
        await newFeatureWithWorkflow(page, 'tested', PRODUCT_REQUEST, async () => {
          await page
            .locator('.quick-input-widget .action-label[aria-label^="Requirements with no test fail phase F"]')
            .first()
            .waitFor({ timeout: 5000 });
        });
        await sidebar.locator('[data-testid="spec-detail"][data-pending]').waitFor({ timeout: 30_000 });
        // The spec names its migration: the approval is the schema change's confirmation, nothing is asked (issue 44).
        await sidebar.getByTestId('btn-approve').click();

        // F's gate fails for REQ-1 and REQ-2 alone: the step names them and offers the waiver.
        const f = sidebar.locator('[data-testid="workflow-step"][data-phase="F"]');
        await sidebar
          .locator('[data-testid="workflow-step"][data-phase="F"][data-state="failed"]')
          .waitFor({ timeout: 90_000 });
        await sidebar.locator('[data-testid="run-panel"][data-status="stopped"]').waitFor({ timeout: 10_000 });
        const offer = f.getByTestId('step-untested-F');
        await offer.waitFor({ timeout: 10_000 });
        assert.match(await offer.innerText(), /No test for REQ-1, REQ-2\./);
        const waive = f.getByTestId('btn-allow-untested-F');
        assert.equal(
          await waive.getAttribute('aria-label'),
          'Allow untested requirements REQ-1, REQ-2 at phase F and resume the run',
        );
        const fAndComplete = async () => (await steps(sidebar)).filter((text) => /^(F|COMPLETE)=/.test(text));
        assert.deepEqual(await fAndComplete(), ['F=failed check:failed', 'COMPLETE=pending check:pending']);
        assert.equal(s.calls.filter((c) => c.agent === 'review' && c.turn === 0).length, 1);
        await scrollSidebarTo(s, 'workflow-panel');
        await page.mouse.move(0, 0);
        await shot(page, 'workflow-waiver-stopped');
        assert.deepEqual(
          await stepsAccessibility(page),
          [],
          'the offer and its button have names a screen reader can say',
        );

        // Allow untested…: the confirmation names the requirements and where the waiver is recorded.
        await waive.click();
        const question = await answerModal(
          page,
          /Allow 2 untested requirements at phase F: REQ-1, REQ-2\?/,
          'Allow Untested and Resume',
        );
        assert.match(question, /journal \(trace\.waived\) and in the traceability matrix/);
        await sidebar.locator('[data-testid="run-panel"][data-status="completed"]').waitFor({ timeout: 90_000 });
        await sidebar
          .locator('[data-testid="workflow-step"][data-phase="COMPLETE"][data-state="closed"]')
          .waitFor({ timeout: 10_000 });
        assert.deepEqual(await fAndComplete(), ['F=closed check:passed', 'COMPLETE=closed check:passed']);
        assert.equal(await f.getByTestId('step-untested-F').count(), 0, 'no offer once F passed');
        assert.equal(
          s.calls.filter((c) => c.agent === 'review' && c.turn === 0).length,
          1,
          'the review ran once: the resume checked the gate again',
        );

        // The journal and the matrix, as the CLI's resume --allow-untested leaves them.
        const runs = readdirSync(join(s.shop.dir, '.claude/runs')).filter((name) => /^\d{8}-/.test(name));
        assert.equal(runs.length, 1, runs.join(', '));
        const journal = readFileSync(join(s.shop.dir, '.claude/runs', runs[0]!, 'events.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        assert.deepEqual(
          journal.filter((e) => e.type === 'run.started').map((e) => e.allowUntested),
          [undefined, true],
        );
        assert.deepEqual(
          journal.filter((e) => e.type === 'run.stopped').map((e) => e.untested),
          [{ phase: 'F', requirements: ['REQ-1', 'REQ-2'] }],
        );
        assert.deepEqual(
          journal.filter((e) => e.type === 'trace.waived').map((e) => [e.phase, e.requirements]),
          [['F', ['REQ-1', 'REQ-2']]],
        );
        const completed = String(journal.find((e) => e.type === 'spec.completed')!.path);
        const trace = readFileSync(
          join(s.shop.dir, completed.slice(0, completed.lastIndexOf('/')), 'trace.md'),
          'utf8',
        );
        assert.match(
          trace,
          /\*\*Untested, waived:\*\* REQ-1 \(waived at phase F \(--allow-untested\)\), REQ-2 \(waived at phase F \(--allow-untested\)\)/,
        );

        await scrollSidebarTo(s, 'workflow-panel');
        await page.mouse.move(0, 0);
        await sidebarShot(page, 'workflow-waiver');
        assert.deepEqual(s.api.scriptErrors, []);
      },
    );
  },
);
