// The sidebar's webview shows the proof (docs/proof.md, item 6), rendered here into a DOM
// (linkedom) by the sections the webview runs: the matrix's Proof column (each criterion's mark and
// status, a failing, broken or vacuous proof highlighted as a gap, the test and its runs in the
// tooltip) and its count line; the Strength column (the score, the survivors in the tooltip); the
// drift view's proof now per criterion. The proof agent's test names and the mutants' changes are
// text: no element comes of them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHTML } from 'linkedom';
import { browserBundle } from '../../support/browserBundle';
import type { DriftView, TraceView, ViewState } from '../../../src/shared/viewState';
import type { Ctx } from '../../../webview/section';

// A surviving mutant's change is the code's words: `<` and `&` in it stay text.
const SURVIVOR = 'ConditionalExpression: cents < 0 && <img src=x onerror=alert(2)> → false';
const HOSTILE = 'REQ-1.3 <img src=x onerror=alert(1)><a href="command:orchestrator.rollbackRun">x</a>';

type Sections = {
  trace: typeof import('../../../webview/sections/trace').trace;
  drift: typeof import('../../../webview/sections/drift').drift;
};
let sections: Sections;
let had: PropertyDescriptor | undefined;
before(async () => {
  sections = await browserBundle<Sections>({ trace: 'webview/sections/trace.ts', drift: 'webview/sections/drift.ts' });
  // The sections build their elements on the page's document (put back after: a shard runs other files in this process).
  had = Object.getOwnPropertyDescriptor(globalThis, 'document');
  Object.assign(globalThis, { document: parseHTML('<!doctype html><html><body></body></html>').document });
});
after(() =>
  had ? Object.defineProperty(globalThis, 'document', had) : delete (globalThis as { document?: unknown }).document,
);

const ctx: Ctx = { post: () => undefined, ui: { open: {} } as Ctx['ui'], saveUi: () => undefined };

const row = (criterion: string, proof?: TraceView['rows'][number]['proof']): TraceView['rows'][number] => ({
  requirement: 'REQ-1',
  requirementTitle: 'Prices',
  criterion,
  criterionText: 'WHEN … SHALL …',
  tasks: ['1. Backend: lib/price.js (REQ-1)'],
  files: ['lib/price.js'],
  validation: ['backend: passed'],
  review: 'met',
  tests: ['test/acceptance/price.test.js'],
  gaps: [],
  ...(proof ? { proof } : {}),
});

const TRACE: TraceView = {
  specId: '2026-11-21-prices',
  requirementsWithoutFile: [],
  criteriaWithoutTest: [],
  rows: [
    row('REQ-1.1', {
      status: 'proven',
      file: 'test/acceptance/price.test.js',
      test: 'REQ-1.1 formats cents',
      red: 'failed',
      green: 'passed',
      tests: 2,
      strength: { tried: 4, killed: 2, survived: 2, survivors: [{ file: 'lib/price.js', line: 5, change: SURVIVOR }] },
    }),
    row('REQ-1.2', {
      status: 'failing',
      file: 'test/acceptance/price.test.js',
      test: 'REQ-1.2 refuses a negative price',
      red: 'failed',
      green: 'failed',
      tests: 1,
      strength: { tried: 0, killed: 0, survived: 0, survivors: [] },
    }),
    row('REQ-1.3', {
      status: 'vacuous',
      file: 'test/acceptance/price.test.js',
      test: HOSTILE,
      red: 'passed',
      green: 'not-run',
      tests: 1,
      strength: { tried: 3, killed: 0, survived: 0, survivors: [], error: 'StrykerJS failed (exit 1)' },
    }),
    row('REQ-1.4', { status: 'unproven', green: 'not-run', tests: 0, untestable: 'a look' }),
    row('REQ-1.5'),
  ],
};

test("the matrix's Proof column: a mark and status per criterion, a failing or vacuous proof a gap, the test in the tooltip as text; the count line below", () => {
  const state = { selectedSpec: undefined, run: { trace: TRACE } } as unknown as ViewState;
  const panel = sections.trace.render(sections.trace.select(state), ctx) as unknown as Element;
  assert.deepEqual(
    Array.from(panel.querySelectorAll('thead th')).map((th) => th.textContent),
    ['Req.', 'Criterion', 'Tasks', 'Files', 'Validation', 'Review', 'Tests', 'Proof', 'Strength'],
  );
  // The Strength column: the score (killed ÷ judged, rounded down), the survivors in the tooltip as text (one more than listed).
  const strength = Array.from(panel.querySelectorAll('td[data-column="strength"]'));
  assert.deepEqual(
    strength.map((td) => [td.textContent, td.getAttribute('data-survived')]),
    [
      ['50%', '2'],
      ['no mutants', '0'],
      ['not measured', '0'],
      ['—', null],
      ['—', null],
    ],
  );
  assert.equal(
    strength[0]!.getAttribute('title'),
    `50% (2/4 mutants killed)\nsurvived: lib/price.js:5 ${SURVIVOR}\n… and 1 more survived`,
  );
  // The engine failed before any verdict: not a score of 0, and why in the tooltip.
  assert.equal(strength[2]!.getAttribute('title'), 'not measured (StrykerJS failed (exit 1))');
  assert.equal(strength[3]!.getAttribute('title'), 'not measured');
  const cells = Array.from(panel.querySelectorAll('td[data-column="proof"]'));
  assert.deepEqual(
    cells.map((td) => [td.getAttribute('data-proof'), td.textContent, td.classList.contains('gap')]),
    [
      ['proven', '✓ proven', false],
      ['failing', '✗ failing', true],
      ['vacuous', '∅ vacuous', true],
      ['unproven', '○ unproven', false],
      ['unproven', '○ unproven', false],
    ],
  );
  assert.equal(
    cells[0]!.getAttribute('title'),
    'test/acceptance/price.test.js › REQ-1.1 formats cents (+1 more)\nred on base: failed\ngreen after: passed',
  );
  assert.equal(
    cells[2]!.getAttribute('title'),
    `test/acceptance/price.test.js › ${HOSTILE}\nred on base: passed\ngreen after: not-run`,
  );
  assert.equal(cells[3]!.getAttribute('title'), 'untestable: a look');
  assert.equal(cells[4]!.getAttribute('title'), 'no proof test');
  assert.equal(panel.querySelectorAll('img, a').length, 0, "no element from the proof agent's words");
  assert.equal(
    panel.querySelector('[data-testid="trace-proof"]')?.textContent,
    'Proof: 1 proven, 1 failing, 1 vacuous, 2 unproven',
  );
  assert.equal(
    panel.querySelector('[data-testid="section-trace"]')?.getAttribute('description'),
    '2 with gaps',
    'a failing or vacuous proof counts as a gap',
  );
});

test("the drift view: each criterion's proof run again, proven or failing now, with what it was and the commit it was last proven at", () => {
  const drift: DriftView = {
    specId: '2026-11-21-prices',
    running: false,
    status: 'broken',
    basis: 'commit abc',
    notes: [],
    requirements: [
      {
        requirement: 'REQ-1',
        title: 'Prices',
        status: 'broken',
        evidence: ['proof REQ-1.2 failing now (was proven): …'],
        proof: [
          {
            criterion: 'REQ-1.1',
            now: 'proven',
            then: 'proven',
            lastProven: { commit: 'c'.repeat(40), at: '2026-11-27T03:00:00.000Z' },
          },
          { criterion: 'REQ-1.2', now: 'failing', then: 'proven' },
          { criterion: 'REQ-1.3', now: 'not-run', then: 'failing' },
        ],
      },
      { requirement: 'REQ-2', title: 'Look', status: 'holds', evidence: [] },
    ],
  };
  const state = { selectedSpec: { id: drift.specId }, selectedDrift: drift } as unknown as ViewState;
  const section = sections.drift.render(sections.drift.select(state), ctx) as unknown as Element;
  const proofs = Array.from(section.querySelectorAll('[data-testid="drift-proof"]'));
  assert.equal(proofs.length, 1, 'only a requirement with proof tests says it');
  assert.equal(
    proofs[0]!.textContent,
    `Proof now: ✓ REQ-1.1 proven (last proven at ${'c'.repeat(12)}) · ✗ REQ-1.2 failing · – REQ-1.3 not run`,
  );
  assert.deepEqual(
    Array.from(proofs[0]!.querySelectorAll('[data-now]')).map((el) => [
      el.getAttribute('data-criterion'),
      el.getAttribute('data-now'),
      el.getAttribute('title'),
    ]),
    [
      ['REQ-1.1', 'proven', `was proven; last proven at ${'c'.repeat(40)} on 2026-11-27T03:00:00.000Z`],
      ['REQ-1.2', 'failing', 'was proven'],
      ['REQ-1.3', 'not-run', 'was failing'],
    ],
  );
});

test("the drift view of Verify with Strength: each criterion's score line and survivors as text; while it runs, it says it measures mutants", () => {
  const base: DriftView = { specId: '2026-11-21-prices', running: true, measuring: true, notes: [], requirements: [] };
  const at = (drift: DriftView) =>
    sections.drift.render(
      sections.drift.select({ selectedSpec: { id: drift.specId }, selectedDrift: drift } as unknown as ViewState),
      ctx,
    ) as unknown as Element;
  assert.match(at(base).querySelector('[data-testid="drift-running"]')!.textContent!, /measuring the proof's strength/);
  const done = at({
    ...base,
    running: false,
    status: 'holds',
    strength: {
      criteria: [
        { criterion: 'REQ-1.1', line: '50% (1/2 mutants killed)', survivors: [`survived: lib/price.js:4 ${SURVIVOR}`] },
        { criterion: 'REQ-1.2', line: 'not measured (StrykerJS failed (exit 1))', survivors: [] },
      ],
    },
  });
  const items = Array.from(done.querySelectorAll('[data-testid="drift-strength"] > ul > li'));
  assert.deepEqual(
    items.map((li) => [li.getAttribute('data-criterion'), li.querySelectorAll('li').length]),
    [
      ['REQ-1.1', 1],
      ['REQ-1.2', 0],
    ],
  );
  assert.match(items[0]!.textContent!, /^REQ-1\.1 50% \(1\/2 mutants killed\)survived: lib\/price\.js:4 Conditional/);
  assert.equal(done.querySelector('img'), null, "a mutant's change is text");
});
