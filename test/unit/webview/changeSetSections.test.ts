// The change-set as the sidebar's webview and the portal's page render it (issue 73), into a DOM
// (linkedom) by the code the browser runs: the set's status and spend, one row per member
// producers first with its mark, status, spend, producers and why it stopped the set. A request
// or a reason is text: no element comes of it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHTML } from 'linkedom';
import { browserBundle } from '../../support/browserBundle';
import type { ChangeSetView } from '../../../src/shared/changeSetView';
import type { Ctx } from '../../../webview/section';

const HOSTILE = 'Stock <img src=x onerror=alert(1)><a href="command:orchestrator.rollbackRun">x</a>';

type Modules = {
  changeSets: typeof import('../../../webview/sections/changeSets').changeSets;
  setCard: typeof import('../../../src/portal/client/changeSetsView').setCard;
};
let ui: Modules;
let had: PropertyDescriptor | undefined;
before(async () => {
  ui = await browserBundle<Modules>({
    changeSets: 'webview/sections/changeSets.ts',
    setCard: 'src/portal/client/changeSetsView.ts',
  });
  had = Object.getOwnPropertyDescriptor(globalThis, 'document');
  Object.assign(globalThis, { document: parseHTML('<!doctype html><html><body></body></html>').document });
});
after(() =>
  had ? Object.defineProperty(globalThis, 'document', had) : delete (globalThis as { document?: unknown }).document,
);

const ctx: Ctx = { post: () => undefined, ui: { open: {} } as Ctx['ui'], saveUi: () => undefined };

const SET: ChangeSetView = {
  setId: '2026-11-28-stock',
  request: HOSTILE,
  branch: 'changeset/2026-11-28-stock',
  specPath: '/w/.claude/changesets/2026-11-28-stock/spec.md',
  status: 'stopped',
  stoppedAt: 'web',
  combined: 'failed',
  members: [
    { name: 'sdk', status: 'completed', runIds: ['r1'], costUsd: 0.03, uses: [], combined: 'passed' },
    {
      name: 'web',
      status: 'completed',
      runIds: ['r2'],
      costUsd: 0.01,
      uses: [{ producer: 'sdk', via: 'npm' }],
      combined: 'failed',
      reason: 'on the combined heads: web: npm test failed: <b>REQ-1.1</b> the badge',
    },
  ],
  budget: { limitUsd: 5, spentUsd: 0.04 },
  updated: '2026-11-28T10:00:00.000Z',
};

test("the sidebar's and the portal's set: its status and spend, one row per member producers first, its text never markup", () => {
  const sidebar = ui.changeSets.render([SET], ctx) as HTMLElement;
  const portal = ui.setCard(SET);
  for (const [where, el] of [
    ['sidebar', sidebar],
    ['portal', portal],
  ] as const) {
    const text = el.textContent ?? '';
    assert.match(text, /stopped at web, failed on the combined heads/, where);
    assert.match(text, /\$0\.04 of the set's \$5\.00/, where);
    const rows = Array.from(el.querySelectorAll('[data-member]'), (li) => li.textContent);
    assert.deepEqual(
      rows,
      [
        '✓ sdk: completed, $0.03, passed on the combined heads',
        '✗ web: completed, $0.01, failed on the combined heads (sdk linked via npm)on the combined heads: web: npm test failed: <b>REQ-1.1</b> the badge',
      ],
      where,
    );
    assert.ok(text.includes(HOSTILE), `${where}: the request as written`);
    assert.equal(el.querySelectorAll('img, a, b').length, 0, `${where}: no element of the untrusted text`);
  }
  assert.equal(ui.changeSets.render([], ctx), null, 'no set, no section');
});
