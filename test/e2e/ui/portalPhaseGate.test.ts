// A workflow phase's human gate decided in the portal (issue 29), in Chromium with axe-core: a real
// `slice` run (scripted model server) saved at E's UAT gate shows on the Specs page with the
// phase's name and its QA report rendered as markdown (its link kept, its <script> never run nor
// shown as HTML); a supervisor approves phase E there, and the run, continued with `resume`,
// closes E without asking again and finishes F and G.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, blocking } from '../harness/axe';
import { sharedBrowser } from '../harness/shared';
import { testOutputDir } from '../harness/paths';
import { engine } from '../../../src/core/engine';
import { sliceWorld, withSections, writesDocuments, type SliceWorld } from '../../support/workflows/fastapiSlice';
import { sliceAgents } from '../../support/workflows/sliceRoles';
import { portalWorld, PASSWORDS, type PortalWorld } from '../../support/portal/portalKit';
import { UI_TIMEOUT_MS } from './support/limits';

const shots = join(testOutputDir, 'ui');
const REPORT_TAIL =
  '\nSee [the stress dashboard](https://example.com/stress) for the figures.\n\n<script>document.title = "injected"</script>\n';

let browser: Browser;
let slice: SliceWorld;
let world: PortalWorld;

before(async () => {
  mkdirSync(shots, { recursive: true });
  browser = await sharedBrowser(); // this process's Chromium: its pages are the test's own
  slice = await sliceWorld(
    sliceAgents({
      qa: writesDocuments(
        () => withSections('QA report', ['Integration', 'Concurrency', 'Stress', 'UAT']) + REPORT_TAIL,
      ),
    }),
  );
});
after(async () => {
  await world?.close();
  await slice?.close();
});

async function accessible(page: Page, what: string): Promise<void> {
  const found = await axeViolations(page);
  const bad = blocking(found);
  assert.deepEqual(bad, [], `${what}: ${JSON.stringify(bad, null, 1)}`);
  for (const v of found)
    console.log(`axe (${what}): ${v.impact} ${v.id}: ${v.help}: ${v.nodes.slice(0, 8).join(' | ')}`);
}

test(
  "portal: a slice run saved at E's UAT gate is approved on the Specs page (phase, documents, axe-core), and resume finishes it",
  { timeout: UI_TIMEOUT_MS },
  async () => {
    slice.host.decisions = [{ action: 'approve' }, { action: 'save' }];
    const saved = await engine.runFeature('Agents add a note to a reservation', slice.options({ workflow: 'slice' }));
    assert.equal(saved.status, 'spec-saved', saved.error);
    const specId = saved.specPath!.split('/')[2]!;
    world = await portalWorld({ dir: slice.dir });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    try {
      await page.goto(`http://127.0.0.1:${world.port}/#/specs`);
      await page.getByLabel('Name').fill('sam');
      await page.getByLabel('Password').fill(PASSWORDS.sam);
      await page.keyboard.press('Enter');
      const card = page.locator(`article[data-gate="gate-${saved.runId}-E"]`);
      await card.waitFor();
      assert.equal(await card.getByRole('heading', { level: 3 }).innerText(), `Phase E of ${specId}`);
      assert.match(await card.innerText(), /slice · run .* saved at this gate/);
      // The QA report: markdown, its link shown as text with its target and not live (an agent wrote it,
      // issue 44); the script neither ran nor reached the page as HTML.
      const report = card.getByRole('region', { name: `spec/active/${specId}/qa-report.md (phase E)` });
      await report.getByRole('heading', { name: 'QA report' }).waitFor();
      assert.match(await report.innerText(), /the stress dashboard \(https:\/\/example\.com\/stress\)/);
      assert.equal(await report.getByRole('link').count(), 0);
      assert.equal(await report.locator('script').count(), 0);
      assert.notEqual(await page.title(), 'injected');
      await page.screenshot({ path: join(shots, 'portal-phase-gate.png'), fullPage: true });
      await accessible(page, 'specs with a phase gate');
      await page.emulateMedia({ colorScheme: 'dark' });
      await accessible(page, 'specs with a phase gate, dark');
      await page.emulateMedia({ colorScheme: 'light' });

      await card.getByRole('button', { name: 'Approve phase E' }).click();
      await page
        .locator('#notice')
        .filter({ hasText: `Approved: phase E of ${specId} (by sam)` })
        .waitFor();
      const decided = slice.journal(saved.runId).filter((e) => e.type === 'phase.decided');
      assert.deepEqual(
        decided.map((e) => [e.phase, e.action, e.by]),
        [['E', 'approve', 'sam']],
      );
      // The page re-reads on the change: the card says who approved it.
      await card.locator('p.decision').filter({ hasText: 'Approved by sam' }).waitFor();

      const asks = slice.host.specRequests.length;
      const completed = await engine.resumeRun(saved.runId, slice.options());
      assert.equal(completed.status, 'completed', completed.error);
      assert.equal(slice.host.specRequests.length, asks, 'E did not ask again');
      assert.deepEqual(
        slice
          .journal(saved.runId)
          .filter((e) => e.type === 'phase.closed')
          .map((e) => e.phase)
          .slice(-4),
        ['E', 'F', 'G', 'COMPLETE'],
      );
      await page.reload();
      await page.getByText('No workflow phase is waiting for a decision.').waitFor();
    } finally {
      await page.close();
    }
  },
);
