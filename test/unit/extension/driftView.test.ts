import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SpecDrift } from '../../../src/core/drift/types';
import { parseWebviewMessage } from '../../../src/shared/protocol';
import { emptyViewState, viewStateSchema, type ViewState } from '../../../src/shared/viewState';
import type { ViewAction } from '../../../src/extension/view/actions';
import { driftViewOf } from '../../../src/extension/view/driftView';
import { reduce } from '../../../src/extension/view/reducer';

const fold = (actions: ViewAction[], from: ViewState = emptyViewState()): ViewState => actions.reduce(reduce, from);
const select = (id: string): ViewAction => ({
  type: 'select',
  spec: { id, path: `/ws/spec/completed/${id}/spec.md`, markdown: '# x' },
});

const report: SpecDrift = {
  specId: '2026-11-20-product',
  title: 'Product',
  basis: { source: 'record', commit: 'a'.repeat(40), completed: '2026-11-20T10:00:00.000Z' },
  status: 'broken',
  counts: { holds: 0, changed: 1, broken: 1 },
  warnings: [],
  requirements: [
    {
      requirement: 'REQ-1',
      title: 'Create',
      criteria: ['REQ-1.1'],
      status: 'broken',
      layers: ['backend'],
      files: ['server/p.js'],
      tests: ['server/test/p.test.js'],
      changedFiles: [{ path: 'server/p.js', status: 'modified' }],
      checks: [
        {
          kind: 'test',
          command: 'node --test',
          outcome: 'failed',
          exitCode: 1,
          detail: `failing: server/test/p.test.js\n${'x'.repeat(500)}`,
        },
      ],
      evidence: ['server/p.js modified since aaaaaaaaaaaa (+1 −1)', 'test: node --test failed (exit 1)'],
    },
    {
      requirement: 'REQ-2',
      title: 'List',
      criteria: ['REQ-2.1'],
      status: 'changed',
      layers: ['backend'],
      files: ['server/p.js'],
      tests: [],
      changedFiles: [],
      checks: [],
      evidence: ['no test on record'],
    },
  ],
};

test('sidebar drift: Verify is a checked message; the result lands on the selected spec only, in a valid view state, lines bounded', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'verifySpec', specId: report.specId }), {
    ok: true,
    message: { type: 'verifySpec', specId: report.specId },
  });
  assert.equal(parseWebviewMessage({ type: 'verifySpec' }).ok, false);
  assert.equal(parseWebviewMessage({ type: 'verifySpec', specId: '' }).ok, false);

  const running: ViewAction = {
    type: 'drift',
    drift: { specId: report.specId, running: true, notes: [], requirements: [] },
  };
  assert.equal(
    fold([select('2026-11-20-other'), running]).selectedDrift,
    undefined,
    'another spec is shown: nothing lands',
  );
  let state = fold([select(report.specId), running]);
  assert.equal(state.selectedDrift?.running, true);
  state = fold([{ type: 'drift', drift: driftViewOf(report) }], state);
  assert.ok(viewStateSchema.safeParse(state).success);
  const view = state.selectedDrift!;
  assert.deepEqual(
    [view.status, view.basis],
    ['broken', `commit ${'a'.repeat(12)}, completed 2026-11-20T10:00:00.000Z`],
  );
  assert.deepEqual(
    view.requirements.map((r) => [r.requirement, r.status]),
    [
      ['REQ-1', 'broken'],
      ['REQ-2', 'changed'],
    ],
  );
  assert.ok(view.requirements[0]!.evidence.includes('failing: server/test/p.test.js'));
  assert.ok(view.requirements[0]!.evidence.every((line) => line.length <= 301));
  assert.equal(fold([select('2026-11-20-other')], state).selectedDrift, undefined, 'selecting another spec clears it');
});

test('Verify with Strength: the message carries it; the view gives each criterion the score line and survivors of every other view, bounded', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'verifySpec', specId: report.specId, strength: true }), {
    ok: true,
    message: { type: 'verifySpec', specId: report.specId, strength: true },
  });
  assert.equal(parseWebviewMessage({ type: 'verifySpec', specId: report.specId, strength: 'yes' }).ok, false);
  const survivors = Array.from({ length: 20 }, (_, i) => ({
    id: `m${i}`,
    file: 'server/p.js',
    line: i + 1,
    change: `BooleanLiteral: true → false${'!'.repeat(400)}`,
  }));
  const view = driftViewOf({
    ...report,
    strength: {
      base: 'b'.repeat(40),
      criteria: [
        { criterion: 'REQ-1.1', tried: 22, killed: 2, survived: 20, score: 9, survivors },
        {
          criterion: 'REQ-2.1',
          tried: 0,
          killed: 0,
          survived: 0,
          survivors: [],
          error: 'StrykerJS failed (exit 1):\nERROR x',
        },
      ],
    },
  });
  assert.ok(viewStateSchema.safeParse(fold([select(report.specId), { type: 'drift', drift: view }])).success);
  const [weak, failed] = view.strength!.criteria;
  assert.equal(weak!.line, '9% (2/22 mutants killed)');
  assert.equal(weak!.survivors.length, 13, 'twelve survivors, then how many more');
  assert.equal(weak!.survivors.at(-1), '… and 8 more survived');
  assert.ok(weak!.survivors.every((line) => line.length <= 301));
  assert.equal(failed!.line, 'not measured (StrykerJS failed (exit 1))');
});

test("sidebar drift: each criterion says the commit its proof last passed at (completion.json's lastProven)", () => {
  const lastProven = { commit: 'c'.repeat(40), at: '2026-11-27T03:00:00.000Z' };
  const proof = [{ criterion: 'REQ-1.1', then: 'proven' as const, now: 'proven' as const, tests: [], lastProven }];
  const view = driftViewOf({ ...report, requirements: [{ ...report.requirements[0]!, proof }] });
  assert.deepEqual(view.requirements[0]!.proof, [{ criterion: 'REQ-1.1', now: 'proven', then: 'proven', lastProven }]);
  assert.ok(viewStateSchema.safeParse(fold([select(report.specId), { type: 'drift', drift: view }])).success);
});
