// The accessibility checker of the UI tests: axe-core's own source run in the Chromium page (by the
// DevTools protocol, so the page's strict CSP needs no exception), with the WCAG A and AA rules.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Rules that mean a control or region has no name a screen reader can say. */
export const LABEL_RULES = [
  'label',
  'aria-input-field-name',
  'select-name',
  'button-name',
  'link-name',
  'image-alt',
  'aria-command-name',
  'form-field-multiple-labels',
  'label-title-only',
];

export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: Document,
            options: unknown,
          ): Promise<{
            violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
}

/** What a page must not have: a control without a name, or anything axe calls critical. */
export function blocking(violations: AxeViolation[]): AxeViolation[] {
  return violations.filter((v) => v.impact === 'critical' || LABEL_RULES.includes(v.id));
}
