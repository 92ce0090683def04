/**
 * Audit to Target end to end through the real workbench: the command palette → the folder
 * (server), the dimension (backend) and the target score (90) picked in the quick inputs → the
 * status bar through the iterations (`AUDIT n/10 · score/100 · $x`) → the sidebar's chart
 * (one point per audit: 75, 82, 91), the report, and the open finding that opens its file at
 * its line. The chart is checked readable in the light and the dark theme, and
 * test-output/ui/audit.png (docs/audit.png in the README) is taken at the end.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { auditor, fixer, STORE_P2 } from '../../support/auditScript';
import { runCommand } from '../harness';
import {
  auditFromPalette,
  recordStatusTexts,
  scrollSidebarTo,
  shot,
  sidebarShot,
  withSession,
} from './support/session';
import { UI_TIMEOUT_MS } from './support/limits';

/** Relative luminance of a CSS rgb()/rgba() colour (WCAG 2). */
function luminance(color: string): number {
  const [r, g, b] = (color.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG contrast ratio of the chart's score labels against the sidebar's background. */
async function labelContrast(sidebar: FrameLocator): Promise<number> {
  // One plain arrow function: the page gets it as written (no helpers of the TypeScript runtime).
  const [fill, background] = await sidebar
    .locator('.audit-chart .value')
    .first()
    .evaluate((el) => [
      getComputedStyle(el).fill,
      getComputedStyle(document.documentElement).getPropertyValue('--vscode-sideBar-background').trim() ||
        getComputedStyle(document.body).backgroundColor,
    ]);
  const [light, dark] = [luminance(fill!), luminance(toRgb(background!))].sort((a, b) => b - a);
  return (light! + 0.05) / (dark! + 0.05);
}

/** `#rrggbb` (a theme variable) → `rgb(r, g, b)`; anything else as it is. */
function toRgb(color: string): string {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(color);
  return hex
    ? `rgb(${hex
        .slice(1)
        .map((h) => Number.parseInt(h, 16))
        .join(', ')})`
    : color;
}

test(
  'Audit to Target from the palette: chart, report, findings that open their file',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    await withSession('audit', { agents: { audit: auditor(), backend: fixer() }, latencyMs: 150 }, async (s) => {
      const { page, sidebar, status } = s;
      const statusTexts = await recordStatusTexts(page);

      await auditFromPalette(page, 'server', 'backend', 90);

      await status
        .filter({ hasText: /AUDIT 2\/10 · 91\/100/ })
        .filter({ hasText: /\$\d+\.\d\d/ })
        .waitFor({ timeout: 60_000 });
      const panel = sidebar.locator('[data-testid="audit-panel"][data-reason="target"]');
      await panel.waitFor({ timeout: 20_000 });
      // The run's end, after its last score (the item's text names the product once nothing runs).
      await status.filter({ hasText: /Orchestrator: AUDIT 2\/10 · 91\/100/ }).waitFor({ timeout: 20_000 });
      const texts = await statusTexts();
      console.log(`status bar texts: ${JSON.stringify(texts)}`);
      assert.ok(
        texts.some((t) => /^AUDIT 0\/10 · …\/100 · \$\d+\.\d\d$/.test(t)),
        'the baseline audit',
      );
      assert.ok(
        texts.some((t) => /^AUDIT 1\/10 · 75\/100 · \$\d+\.\d\d$/.test(t)),
        'iteration 1 after a baseline of 75',
      );
      assert.ok(
        texts.some((t) => /^AUDIT 2\/10 · 82\/100 · \$\d+\.\d\d$/.test(t)),
        'iteration 2 after 82',
      );
      assert.match(texts.at(-1) ?? '', /^Orchestrator: AUDIT 2\/10 · 91\/100 · \$\d+\.\d\d$/);

      // The chart: one point per audit, the target line at 90.
      const points = sidebar.locator('[data-testid="audit-point"]');
      assert.equal(await points.count(), 3);
      assert.deepEqual(
        await points.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-score')))),
        [75, 82, 91],
      );
      assert.match(
        (await sidebar.locator('[data-testid="audit-chart"]').getAttribute('aria-label')) ?? '',
        /baseline 75, iteration 1 82, iteration 2 91; target 90/,
      );
      assert.equal(await sidebar.locator('.audit-chart .target').count(), 1);
      const firstContrast = await labelContrast(sidebar);

      // The report, in the sidebar.
      const report = sidebar.getByTestId('audit-report');
      await report.waitFor({ timeout: 10_000 });
      assert.match(await report.innerText(), /Target reached · score 91\/100/);
      assert.match(await report.innerText(), /75\/100 → 91\/100 \(\+16\), target 90/);
      assert.equal(
        await sidebar.locator(`[data-testid="audit-action"][data-state="done"]`).count(),
        5,
        'BE-1, BE-2; BE-2, BE-3 (enhance), BE-4 (documentation)',
      );

      // The open finding opens its file at its line.
      const finding = sidebar.locator(`[data-testid="audit-finding"][data-id="${STORE_P2.id}"]`);
      assert.match(await finding.innerText(), /server\/store\.js:27/);
      await finding.click();
      // The tab by the file name the workbench gives it: its label's text can be split ("store\n.js" in CI).
      await page.locator('.tabs-container .tab.active[data-resource-name="store.js"]').waitFor({ timeout: 10_000 });
      await page.locator('.statusbar-item', { hasText: /Ln 27, Col 1/ }).waitFor({ timeout: 10_000 });

      // For the README: the sidebar at the end.
      await page.mouse.move(0, 0);
      await scrollSidebarTo(s, 'audit-panel');
      const dark = (await page.locator('.monaco-workbench.vs-dark').count()) > 0;
      await sidebarShot(page, 'audit');

      // Readable in the other theme (light ↔ dark) as well: the theme's chart colours follow.
      await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
      await page.locator(dark ? '.monaco-workbench.vs' : '.monaco-workbench.vs-dark').waitFor({ timeout: 10_000 });
      await page.waitForTimeout(500);
      const secondContrast = await labelContrast(sidebar);
      const [darkContrast, lightContrast] = dark ? [firstContrast, secondContrast] : [secondContrast, firstContrast];
      console.log(`chart label contrast: dark ${darkContrast.toFixed(1)}:1, light ${lightContrast.toFixed(1)}:1`);
      assert.ok(
        darkContrast >= 4.5 && lightContrast >= 4.5,
        `labels readable in both themes (dark ${darkContrast}, light ${lightContrast})`,
      );
      await scrollSidebarTo(s, 'audit-panel');
      await sidebarShot(page, dark ? 'audit-light' : 'audit-dark');
      await shot(page, 'audit-workbench');
      assert.deepEqual(s.api.scriptErrors, []);
    });
  },
);
