/** Workflows in the UI tests (issue 29): New Feature with a workflow picked, and the sidebar's steps read back. */
import { readFileSync } from 'node:fs';
import type { FrameLocator, Page } from 'playwright-core';
import { EXTENSION_ID, runCommand } from '../../harness';
import { blocking, type AxeViolation } from '../../harness/axe';

/** Each step as `phase=state gate:state`, in the order shown. */
export async function steps(sidebar: FrameLocator): Promise<string[]> {
  return sidebar.locator('[data-testid="workflow-step"]').evaluateAll((rows) =>
    rows.map((row) => {
      const gate = row.querySelector('[data-testid="step-gate"]');
      return `${row.getAttribute('data-phase')}=${row.getAttribute('data-state')}${gate ? ` ${gate.getAttribute('data-gate')}:${gate.getAttribute('data-gate-state')}` : ''}`;
    }),
  );
}

/**
 * New Feature from the palette; the workflow button opens the picker, `name` is chosen, then the
 * request typed (`beforeTyping`: look at the box, its buttons, once the workflow is chosen).
 */
export async function newFeatureWithWorkflow(
  page: Page,
  name: string,
  request: string,
  beforeTyping?: () => Promise<void>,
): Promise<string[]> {
  await runCommand(page, 'Orchestrator: New Feature');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await page.locator('.quick-input-widget', { hasText: 'workflow feature' }).waitFor({ timeout: 5000 });
  // The box's placeholder hover may lie over its buttons: move away until it goes.
  await page.mouse.move(0, 0);
  await page
    .locator('.context-view .hover-contents')
    .waitFor({ state: 'hidden', timeout: 5000 })
    .catch(() => undefined);
  const button = page.locator('.quick-input-widget .action-label[aria-label^="Choose the workflow"]').first();
  await button.click({ timeout: 5000 }).catch(() => button.dispatchEvent('click'));
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  await page.locator('.quick-input-widget', { hasText: 'workflow of the feature' }).waitFor({ timeout: 10_000 });
  await rows.first().waitFor({ timeout: 10_000 });
  const listed = await rows.evaluateAll((list) =>
    list.map((row) => row.querySelector('.label-name')?.textContent ?? ''),
  );
  await rows
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) })
    .first()
    .click();
  // Back in the request's box, its title naming the choice.
  await page.locator('.quick-input-widget', { hasText: `workflow ${name}` }).waitFor({ timeout: 10_000 });
  await input.waitFor({ state: 'visible', timeout: 5000 });
  await beforeTyping?.();
  await input.pressSequentially(request, { delay: 5 });
  await input.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 5000 });
  return listed.map((t) => t.trim());
}

/** axe-core's WCAG A/AA and best-practice rules on the sidebar's workflow steps: what has no name a screen reader can say, or is critical. */
export async function stepsAccessibility(page: Page): Promise<AxeViolation[]> {
  const outer = `iframe.webview.ready[src*="purpose=webviewView"][src*="extensionId=${EXTENSION_ID}"]`;
  const frame = await (await page.frameLocator(outer).locator('iframe#active-frame').elementHandle())?.contentFrame();
  if (!frame) throw new Error("the sidebar's webview frame was not found");
  await frame.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await frame.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: unknown,
            options: unknown,
          ): Promise<{
            violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run(
      { include: [['#workflow-panel']] },
      { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } },
    );
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return blocking(violations);
}
