/**
 * Issue 39 in the real workbench: a run that `serve` started from GitHub issue #7 and that ended
 * in pull request #12 (its journal as the GitHub channel writes it: `github.issue.linked`,
 * `github.spec.posted`, `github.spec.decided`, `github.pushed`, `github.pr.opened` beside the
 * engine's events) is shown in the sidebar's run panel with links to the issue, the spec comment,
 * the branch and the pull request: their addresses, visible labels and accessible names. A click
 * asks the editor to open the pull request (VS Code's "open the external website?" dialog names
 * the address); nothing opens without that.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { PRODUCT_REQUEST, productAgents } from '../../../bench/support/productFeature';
import type { EngineEvent } from '../../../src/core/events';
import { Journal } from '../../../src/core/journal/journal';
import { openSidebar, shot, sidebarShot, withSession } from './support/session';
import { UI_TIMEOUT_MS } from './support/limits';

const RUN_ID = 'r-github-7';
const REPO = 'https://github.example/acme/shop';
const ISSUE = `${REPO}/issues/7`;
const PULL = `${REPO}/pull/12`;
const SPEC_ID = '2026-11-24-product-entity';

/** A completed run from issue #7, as serve's GitHub channel and the engine journal it. */
const journal: EngineEvent[] = [
  { type: 'run.started', runId: RUN_ID, kind: 'feature', request: `${PRODUCT_REQUEST}\n\n(GitHub issue #7: ${ISSUE})` },
  { type: 'github.issue.linked', url: ISSUE, by: 'alice' },
  { type: 'phase.started', phase: 'SPEC' },
  { type: 'spec.saved', specId: SPEC_ID, path: `.claude/specs/${SPEC_ID}.md` },
  { type: 'github.spec.posted', url: `${ISSUE}#issuecomment-5000001` },
  { type: 'github.spec.decided', url: `${ISSUE}#issuecomment-5000002`, by: 'alice', detail: 'approve' },
  { type: 'spec.approved', specId: SPEC_ID },
  { type: 'phase.completed', phase: 'SPEC', ms: 1200 },
  { type: 'phase.started', phase: 'IMPLEMENT' },
  { type: 'wave.started', wave: 1, of: 1, layers: ['backend'] },
  { type: 'agent.started', agent: 'backend', attempt: 1, mode: 'implement' },
  {
    type: 'agent.completed',
    agent: 'backend',
    attempt: 1,
    outcome: 'submitted',
    summary: 'Product entity written',
    costUsd: 0.04,
  },
  { type: 'validation.passed', layer: 'backend' },
  { type: 'phase.completed', phase: 'IMPLEMENT', ms: 4100 },
  { type: 'run.completed', runId: RUN_ID, summary: { status: 'completed' } },
  { type: 'github.pushed', url: `${REPO}/tree/orchestrator/product-entity`, detail: '3f2a9c1' },
  { type: 'github.pr.opened', url: PULL, detail: '#12' },
];

test(
  'the sidebar shows a run started from a GitHub issue with links to the issue and its pull request',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    await withSession('github-run', { agents: productAgents(), sidebarWidth: 560 }, async (s) => {
      const { page, sidebar } = s;
      const file = Journal.create(s.shop.dir, RUN_ID);
      try {
        journal.forEach((event) => file.append(event));
      } finally {
        file.close();
      }
      await openSidebar(s);
      const panel = sidebar.locator(`[data-testid="run-panel"][data-run-id="${RUN_ID}"]`);
      await panel.waitFor({ timeout: 30_000 });
      assert.equal(await panel.getAttribute('data-status'), 'completed');

      const links = panel.getByTestId('run-github');
      assert.equal(await links.getAttribute('aria-label'), 'This run on GitHub');
      const facts = await links.locator('a').evaluateAll((anchors) =>
        anchors.map((a) => ({
          kind: a.getAttribute('data-kind'),
          href: a.getAttribute('href'),
          text: a.textContent,
          name: a.getAttribute('aria-label'),
        })),
      );
      console.log(`links: ${JSON.stringify(facts)}`);
      assert.deepEqual(
        facts.map((f) => [f.kind, f.href, f.text]),
        [
          ['issue', ISSUE, 'Issue #7'],
          ['spec', `${ISSUE}#issuecomment-5000001`, 'Spec comment'],
          ['branch', `${REPO}/tree/orchestrator/product-entity`, 'Branch orchestrator/product-entity'],
          ['pull', PULL, 'Pull request #12'],
        ],
      );
      assert.equal(facts[0]!.name, 'Issue #7 on GitHub: opens the issue that started this run in your browser');
      assert.equal(facts[3]!.name, "Pull request #12 on GitHub: opens the run's pull request in your browser");
      // The accessible names are what a screen reader finds them by.
      await panel.getByRole('link', { name: /^Pull request #12 on GitHub/ }).waitFor();
      await panel.getByRole('link', { name: /^Issue #7 on GitHub/ }).waitFor();
      await sidebarShot(page, 'github-run-links');

      // A click goes through the editor's openExternal: VS Code asks before opening an untrusted site, naming it.
      await panel.getByTestId('github-pull').click();
      const dialog = page.locator('.monaco-dialog-box', { hasText: 'github.example' });
      await dialog.waitFor({ state: 'visible', timeout: 15_000 });
      const asked = await dialog.innerText();
      console.log(`dialog: ${asked.replace(/\s+/g, ' ')}`);
      assert.ok(asked.includes(PULL), 'the dialog names the pull request address');
      await shot(page, 'github-run-open-pull');
      await dialog
        .locator('.dialog-buttons .monaco-button', { hasText: /^Cancel$/ })
        .first()
        .click();
      await dialog.waitFor({ state: 'hidden', timeout: 5000 });
    });
  },
);
