import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent } from '../../../src/core/events';
import type { TraceMatrix } from '../../../src/core/trace/matrix';
import { emptyViewState, viewStateSchema, type ViewState } from '../../../src/shared/viewState';
import type { ViewAction } from '../../../src/extension/view/actions';
import { reduce } from '../../../src/extension/view/reducer';
import { traceViewOf } from '../../../src/extension/view/traceView';

const fold = (actions: ViewAction[], from: ViewState = emptyViewState()): ViewState => actions.reduce(reduce, from);
const events = (...list: EngineEvent[]): ViewAction[] => list.map((event) => ({ type: 'engine', event }));

const matrix = (specId: string, files: string[]): TraceMatrix => ({
  specId,
  title: 'Product entity',
  runIds: ['r1'],
  rows: [
    {
      requirement: 'REQ-1',
      requirementTitle: 'Create',
      criterion: 'REQ-1.1',
      criterionText: 'WHEN … SHALL …',
      tasks: ['1. Backend: x (REQ-1)'],
      layers: ['backend'],
      files,
      validation: ['backend: passed'],
      review: 'met',
      tests: [],
      gaps: files.length ? ['no-test'] : ['no-file', 'no-test'],
      changes: [],
    },
  ],
  requirementsWithoutFile: files.length ? [] : ['REQ-1'],
  notLinked: [],
  doneBeforeImport: [],
  unlinkedTasks: [],
  criteriaWithoutTest: ['REQ-1.1'],
  byHand: {},
});

const begun: ViewAction[] = [
  { type: 'run.begin', kind: 'feature', request: 'A screen' },
  ...events(
    { type: 'run.started', runId: 'r1', kind: 'feature', request: 'A screen' },
    { type: 'wave.started', wave: 1, of: 1, layers: ['frontend'] },
    { type: 'agent.started', agent: 'frontend', attempt: 1, mode: 'implement' },
  ),
];

test('a block is an open arrow from the blocked layer, which waits, until the owning layer resolves it', () => {
  let s = fold([
    ...begun,
    ...events(
      { type: 'agent.completed', agent: 'frontend', attempt: 1, outcome: 'submitted', summary: 'blocked' },
      { type: 'agent.blocked', agent: 'frontend', reason: 'no endpoint' },
      { type: 'block.reported', block: 1, from: 'frontend', to: 'backend', request: 'GET /api/products' },
    ),
  ]);
  assert.deepEqual(s.run!.blocks, [
    { block: 1, from: 'frontend', to: 'backend', request: 'GET /api/products', status: 'open' },
  ]);
  const frontend = s.run!.agents.find((a) => a.name === 'frontend')!;
  assert.equal(frontend.state, 'waiting');
  assert.equal(frontend.summary, 'blocked on backend: GET /api/products');
  assert.ok(viewStateSchema.safeParse(s).success);
  s = fold(
    events({
      type: 'block.resolved',
      block: 1,
      from: 'frontend',
      to: 'backend',
      summary: 'added',
      files: ['server/entities/product.js'],
    }),
    s,
  );
  assert.equal(s.run!.blocks![0]!.status, 'resolved');
});

test("the run's matrix follows trace.updated; a selected spec's matrix is kept only for that spec", () => {
  let s = fold([...begun, ...events({ type: 'trace.updated', specId: 'spec-a', matrix: matrix('spec-a', []) })]);
  assert.deepEqual(s.run!.trace!.requirementsWithoutFile, ['REQ-1']);
  s = fold(events({ type: 'trace.updated', specId: 'spec-a', matrix: matrix('spec-a', ['web/src/products.js']) }), s);
  assert.deepEqual(s.run!.trace!.rows[0]!.files, ['web/src/products.js']);
  assert.deepEqual(s.run!.trace!.rows[0]!.gaps, ['no-test']);

  s = fold(
    [
      { type: 'select', spec: { id: 'spec-b', path: 'spec/active/spec-b/spec.md', markdown: '' } },
      { type: 'trace', trace: traceViewOf(matrix('spec-b', [])) },
    ],
    s,
  );
  assert.equal(s.selectedTrace?.specId, 'spec-b');
  s = fold([{ type: 'trace', trace: traceViewOf(matrix('spec-c', [])) }], s);
  assert.equal(s.selectedTrace?.specId, 'spec-b', 'a late matrix of another spec is dropped');
  s = fold([{ type: 'select', spec: { id: 'spec-a', path: 'x', markdown: '' } }], s);
  assert.equal(s.selectedTrace, undefined);
  assert.ok(viewStateSchema.safeParse(s).success);
});

test('a long list in a cell is capped for the view', () => {
  const many = Array.from({ length: 30 }, (_, i) => `web/src/f${i}.js`);
  const view = traceViewOf(matrix('spec-a', many));
  assert.equal(view.rows[0]!.files.length, 21);
  assert.equal(view.rows[0]!.files.at(-1), '… 10 more');
});
