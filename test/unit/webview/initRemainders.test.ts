// Initialize Workspace shows the layers the census found no check for first (issue 75, "An honest remainder"): above
// the summary and the layers, while verification runs and after, each line as text (a folder's name is the
// repository's: no element comes of it). Rendered into a DOM (linkedom) by the section the webview runs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHTML } from 'linkedom';
import { browserBundle } from '../../support/browserBundle';
import type { InitProposalView } from '../../../src/shared/initProposal';
import type { Ctx } from '../../../webview/section';

type Sections = { initProposal: typeof import('../../../webview/sections/initProposal').initProposal };
let sections: Sections;
let had: PropertyDescriptor | undefined;
before(async () => {
  sections = await browserBundle<Sections>({ initProposal: 'webview/sections/initProposal.ts' });
  had = Object.getOwnPropertyDescriptor(globalThis, 'document');
  Object.assign(globalThis, { document: parseHTML('<!doctype html><html><body></body></html>').document });
});
after(() =>
  had ? Object.defineProperty(globalThis, 'document', had) : delete (globalThis as { document?: unknown }).document,
);

const ctx: Ctx = { post: () => undefined, ui: { open: {} } as Ctx['ui'], saveUi: () => undefined };

const view: InitProposalView = {
  status: 'ready',
  workspace: 'shop',
  layers: [
    { name: 'api', owns: ['api/**'], after: [], commands: [] },
    { name: 'site', owns: ['site/**'], after: [], commands: [] },
  ],
  schema: [],
  sourceFiles: 4,
  ownedFiles: 4,
  unowned: [],
  warnings: ['another warning'],
  remainders: [
    {
      layer: 'site',
      dirs: 'site/',
      lines: [
        'read: site/package.json',
        'could not use site/BUILD.bazel <img src=x onerror=alert(1)>: Bazel, a build tool the census reads no projects or checks from',
      ],
    },
  ],
  configExists: false,
};

test('the layers with no check come first, above the summary and the layers, their lines as text', () => {
  for (const status of ['ready', 'verifying'] as const) {
    const panel = sections.initProposal.render({ ...view, status }, ctx) as unknown as Element;
    const first = panel.firstElementChild!;
    assert.equal(first.getAttribute('data-testid'), 'init-remainders', status);
    const site = first.querySelector('[data-testid="init-remainder-site"]')!;
    assert.equal(site.querySelector('strong')!.textContent, 'site (site/)');
    assert.deepEqual(
      Array.from(site.querySelectorAll('li')).map((li) => li.textContent),
      view.remainders[0]!.lines,
    );
    assert.equal(panel.querySelector('img'), null);
  }
  const none = sections.initProposal.render({ ...view, remainders: [] }, ctx) as unknown as Element;
  assert.equal(none.querySelector('[data-testid="init-remainders"]'), null);
  assert.equal(none.firstElementChild!.getAttribute('data-testid'), 'init-summary');
});
