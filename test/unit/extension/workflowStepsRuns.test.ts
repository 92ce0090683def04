/**
 * The sidebar's workflow steps (issue 29) across runs: the default workflow and runs without one,
 * PROVE's own step, a completed run's skipped phases, a broken workflow, the steps after a reload.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent } from '../../../src/core/events';
import { viewStateSchema } from '../../../src/shared/viewState';
import { statusBarView } from '../../../src/extension/view/selectors';
import { definitionOf } from '../../../src/extension/run/workflowSteps';
import { events, fold, shipped, slice, started, states, step } from './workflowStepsFold';

test('a plain feature run follows `feature`; a bugfix or audit without a workflow shows no steps', async () => {
  const feature = fold([
    ...started(),
    { type: 'workflow.defined', runId: 'r1', definition: definitionOf('feature', await shipped) },
  ]);
  assert.deepEqual(
    feature.run?.workflow?.steps.map((x) => x.phase),
    ['SYNC', 'UNDERSTAND', 'SPEC', 'IMPLEMENT', 'REVIEW', 'COMPLETE', 'DEPLOY'],
  );
  assert.match(
    statusBarView(fold(events({ type: 'phase.started', phase: 'SPEC' }), feature)).text,
    /^\$\(sync~spin\) SPEC · \$/,
    'the default workflow is not named in the status bar',
  );
  const bugfix = fold([
    { type: 'run.begin', kind: 'bugfix', request: 'x' },
    ...events(
      { type: 'run.started', runId: 'r2', kind: 'bugfix', request: 'x' },
      { type: 'phase.started', phase: 'DIAGNOSE' },
    ),
  ]);
  assert.equal(bugfix.run?.workflow, undefined);
  assert.deepEqual(
    bugfix.run?.phases.map((p) => p.name),
    ['DIAGNOSE'],
  );
  const bugfixSlice = fold([
    { type: 'run.begin', kind: 'bugfix', request: 'x' },
    ...events({ type: 'run.started', runId: 'r3', kind: 'bugfix', request: 'x', workflow: 'slice' }),
  ]);
  assert.equal(bugfixSlice.run?.workflow?.name, 'slice');
});

test('PROVE (a config with a proof section) is a step of its own before IMPLEMENT, though the file does not list it; it closes when it completes', async () => {
  const definition = definitionOf('feature', await shipped);
  const proving = events(
    { type: 'phase.started', phase: 'SPEC' },
    { type: 'spec.approved', specId: 'x' },
    { type: 'phase.completed', phase: 'SPEC', ms: 5 },
    { type: 'phase.closed', phase: 'SPEC', documents: ['spec/active/x/spec.md'] },
    { type: 'phase.started', phase: 'CHECKPOINT' },
    { type: 'phase.started', phase: 'PROVE' },
  );
  const s = fold([...started(), { type: 'workflow.defined', runId: 'r1', definition }, ...proving]);
  assert.deepEqual(
    s.run?.workflow?.steps.map((x) => x.phase),
    ['SYNC', 'UNDERSTAND', 'SPEC', 'PROVE', 'IMPLEMENT', 'REVIEW', 'COMPLETE', 'DEPLOY'],
    'CHECKPOINT stays hidden',
  );
  assert.deepEqual(
    { state: step(s, 'PROVE').state, role: step(s, 'PROVE').role, gate: step(s, 'PROVE').gate.kind },
    { state: 'running', role: 'proof', gate: 'none' },
  );
  assert.match(step(s, 'PROVE').title ?? '', /red on the base/);
  const done = fold(
    events({ type: 'phase.completed', phase: 'PROVE', ms: 700 }, { type: 'phase.started', phase: 'IMPLEMENT' }),
    s,
  );
  assert.deepEqual(
    [step(done, 'PROVE').state, step(done, 'PROVE').ms, step(done, 'IMPLEMENT').state],
    ['closed', 700, 'running'],
  );
  assert.ok(viewStateSchema.safeParse(done).success);

  // The definition read after the events (a reload): PROVE keeps its place and its state.
  const late = fold([
    ...started(),
    ...proving,
    ...events({ type: 'phase.completed', phase: 'PROVE', ms: 700 }),
    { type: 'workflow.defined', runId: 'r1', definition },
  ]);
  assert.deepEqual(states(late)?.slice(2, 5), [
    'SPEC=closed/human:passed',
    'PROVE=closed/none:pending',
    'IMPLEMENT=pending/check:pending',
  ]);

  // A bugfix's workflow runs PROVE before its fix step.
  const fixing = definitionOf('mine', [
    {
      name: 'mine',
      phases: [
        { name: 'S', uses: 'spec', gate: 'human', documents: [] },
        { name: 'F', uses: 'fix', gate: 'none', documents: [] },
      ],
    },
  ]);
  const fix = fold([
    ...started('mine'),
    { type: 'workflow.defined', runId: 'r1', definition: fixing },
    ...events({ type: 'phase.started', phase: 'PROVE' }),
  ]);
  assert.deepEqual(
    fix.run?.workflow?.steps.map((x) => x.phase),
    ['S', 'PROVE', 'F'],
  );
});

test('a completed run marks the phases that did nothing skipped; a broken or unknown workflow says why', async () => {
  const definition = definitionOf('feature', await shipped);
  const phases = ['SYNC', 'UNDERSTAND', 'SPEC', 'IMPLEMENT', 'REVIEW', 'COMPLETE'];
  const done = fold([
    ...started(),
    { type: 'workflow.defined', runId: 'r1', definition },
    ...events(
      ...phases.flatMap((phase): EngineEvent[] => [
        { type: 'phase.started', phase },
        { type: 'phase.completed', phase, ms: 1 },
        ...(phase === 'COMPLETE'
          ? [{ type: 'spec.completed', specId: 'x', path: 'spec/completed/2026-11-23-x/spec.md' } as const]
          : []),
        { type: 'phase.closed', phase, documents: phase === 'SPEC' ? ['spec/active/x/spec.md'] : [] },
      ]),
      { type: 'run.completed', runId: 'r1', summary: { status: 'completed' } },
    ),
  ]);
  assert.deepEqual(
    step(done, 'SPEC').documents,
    ['spec/completed/2026-11-23-x/spec.md'],
    'linked where COMPLETE moved it',
  );
  assert.deepEqual(states(done), [
    'SYNC=closed/none:pending',
    'UNDERSTAND=closed/none:pending',
    'SPEC=closed/human:passed',
    'IMPLEMENT=closed/check:passed',
    'REVIEW=closed/check:passed',
    'COMPLETE=closed/check:passed',
    'DEPLOY=skipped/none:pending',
  ]);

  const unknown = definitionOf('nope', await shipped);
  assert.equal(unknown.problem, 'no workflow "nope" in this workspace');
  const broken = definitionOf('mine', [
    { name: 'mine', phases: [], problem: '.claude/workflows/mine.yaml:3 phases.0.gate: invalid' },
  ]);
  const s = fold([...started('mine'), { type: 'workflow.defined', runId: 'r1', definition: broken }]);
  assert.equal(s.run?.workflow?.problem, '.claude/workflows/mine.yaml:3 phases.0.gate: invalid');
  assert.equal(s.run?.workflow?.defined, false);
});

test('after a reload the steps are rebuilt from the journal; a phase at work when the window closed is stopped', async () => {
  const journal: EngineEvent[] = [
    { type: 'run.started', runId: 'r9', kind: 'feature', request: 'Orders API', workflow: 'slice' },
    { type: 'phase.started', phase: 'SYNC' },
    { type: 'phase.completed', phase: 'SYNC', ms: 3 },
    { type: 'phase.closed', phase: 'SYNC', documents: [] },
    { type: 'phase.started', phase: 'A' },
    { type: 'spec.approved', specId: 'orders-api' },
    { type: 'phase.completed', phase: 'A', ms: 20 },
    { type: 'phase.closed', phase: 'A', documents: ['spec/active/orders-api/spec.md'] },
    { type: 'phase.started', phase: 'B' },
  ];
  const restored = fold([
    {
      type: 'run.restored',
      info: {
        runId: 'r9',
        kind: 'feature',
        request: 'Orders API',
        status: 'interrupted',
        started: '2026-11-23T10:00:00Z',
      },
      events: journal,
    },
    { type: 'workflow.defined', runId: 'r9', definition: await slice() },
  ]);
  assert.equal(restored.run?.status, 'interrupted');
  assert.deepEqual(states(restored)?.slice(0, 4), [
    'SYNC=closed/none:pending',
    'UNDERSTAND=pending/none:pending',
    'A=closed/human:passed',
    'B=stopped/check:pending',
  ]);
  assert.deepEqual(step(restored, 'A').documents, ['spec/active/orders-api/spec.md']);
  assert.ok(viewStateSchema.safeParse(restored).success);
});
