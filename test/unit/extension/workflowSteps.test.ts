/**
 * The sidebar's workflow steps (issue 29): the view folded from phase events and the workflow
 * file's listing, in either order; the spec gate and a phase's human gate on their steps; a
 * failed check gate with its report. Runs of other kinds and reloads: workflowStepsRuns.test.ts;
 * gates answered, retried, sent back, and the picker: workflowStepsGates.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { viewStateSchema } from '../../../src/shared/viewState';
import { statusBarView } from '../../../src/extension/view/selectors';
import { events, fold, slice, specPending, started, states, step } from './workflowStepsFold';

test('a slice run shows every phase of the file in order, with its title, role and gate, before any phase starts', async () => {
  const s = fold([...started('slice'), { type: 'workflow.defined', runId: 'r1', definition: await slice() }]);
  const workflow = s.run?.workflow;
  assert.equal(workflow?.name, 'slice');
  assert.equal(workflow?.defined, true);
  assert.deepEqual(
    workflow?.steps.map((x) => x.phase),
    ['SYNC', 'UNDERSTAND', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'COMPLETE'],
  );
  assert.deepEqual(
    { role: step(s, 'A').role, uses: step(s, 'A').uses, gate: step(s, 'A').gate },
    { role: 'analyst', uses: 'spec', gate: { kind: 'human', detail: 'pm', state: 'pending' } },
  );
  assert.deepEqual(step(s, 'B').gate, { kind: 'check', detail: 'sections, adr, mermaid', state: 'pending' });
  assert.equal(step(s, 'SYNC').gate.kind, 'none');
  assert.match(step(s, 'E').title ?? '', /UAT/);
  assert.deepEqual(
    step(s, 'E').documents,
    ['{spec}/qa-report.md'],
    'the documents it will write, as the file names them',
  );
  assert.ok(workflow?.steps.every((x) => x.state === 'pending'));
  assert.ok(viewStateSchema.safeParse(s).success);
});

test('phase events move the steps: running, waiting at the spec gate, closed with its documents linked', async () => {
  let s = fold([...started('slice'), { type: 'workflow.defined', runId: 'r1', definition: await slice() }]);
  s = fold(
    events(
      { type: 'phase.started', phase: 'SYNC' },
      { type: 'phase.completed', phase: 'SYNC', ms: 40 },
      { type: 'phase.closed', phase: 'SYNC', documents: [] },
      { type: 'phase.started', phase: 'A' },
    ),
    s,
  );
  assert.equal(step(s, 'SYNC').state, 'closed');
  assert.equal(step(s, 'SYNC').ms, 40);
  assert.equal(step(s, 'A').state, 'running');

  // The spec gate asks (no phase): the spec's step waits; the spec's own detail keeps its decision.
  s = fold([specPending], s);
  assert.equal(s.pendingDecision?.id, 'orders-api', 'the spec gate stays where it was');
  assert.deepEqual([step(s, 'A').state, step(s, 'A').gate.state], ['waiting', 'waiting']);
  assert.equal(s.run?.workflow?.decision, undefined, 'no phase gate: the spec detail decides');

  s = fold(
    [
      { type: 'decision.resolved' },
      ...events({ type: 'spec.approved', specId: 'orders-api' }, { type: 'phase.completed', phase: 'A', ms: 900 }),
    ],
    s,
  );
  assert.deepEqual([step(s, 'A').state, step(s, 'A').gate.state], ['running', 'passed']);
  s = fold(events({ type: 'phase.closed', phase: 'A', documents: ['spec/active/orders-api/spec.md'] }), s);
  assert.deepEqual(step(s, 'A'), {
    ...step(s, 'A'),
    state: 'closed',
    documents: ['spec/active/orders-api/spec.md'],
    closedDocuments: true,
  });
  assert.deepEqual(states(s)?.slice(0, 4), [
    'SYNC=closed/none:pending',
    'UNDERSTAND=pending/none:pending',
    'A=closed/human:passed',
    'B=pending/check:pending',
  ]);
});

test("a phase's human gate waits on its step with its documents and the three actions' data; answering it clears the decision", async () => {
  let s = fold([
    ...started('slice'),
    { type: 'workflow.defined', runId: 'r1', definition: await slice() },
    ...events({ type: 'phase.started', phase: 'E' }, { type: 'phase.completed', phase: 'E', ms: 10 }),
  ]);
  s = fold(
    [
      {
        type: 'decision.pending',
        spec: { id: 'orders-api', path: 'spec/active/orders-api/spec.md', markdown: '' },
        gate: { phase: 'E', specId: 'orders-api', documents: ['spec/active/orders-api/qa-report.md'] },
      },
    ],
    s,
  );
  assert.equal(s.pendingDecision, undefined, "a phase's gate is not the spec's decision");
  assert.equal(s.run?.status, 'awaiting-approval');
  assert.deepEqual(s.run?.workflow?.decision, {
    phase: 'E',
    specId: 'orders-api',
    documents: ['spec/active/orders-api/qa-report.md'],
  });
  assert.deepEqual([step(s, 'E').state, step(s, 'E').gate.state], ['waiting', 'waiting']);
  assert.deepEqual(
    step(s, 'E').documents,
    ['spec/active/orders-api/qa-report.md'],
    'the documents the gate asks about, linked',
  );
  assert.equal(step(s, 'E').closedDocuments, true);
  assert.deepEqual(statusBarView(s), {
    text: '$(bell) Orchestrator: phase E awaiting approval',
    tooltip: "Orders API · workflow slice: phase E's gate waits for your decision in the sidebar",
  });
  assert.ok(viewStateSchema.safeParse(s).success);

  s = fold([{ type: 'decision.resolved' }], s);
  assert.equal(s.run?.workflow?.decision, undefined);
  assert.equal(s.run?.status, 'running');
  assert.equal(step(s, 'E').state, 'running');
  s = fold(events({ type: 'phase.closed', phase: 'E', documents: ['spec/active/orders-api/qa-report.md'] }), s);
  assert.deepEqual([step(s, 'E').state, step(s, 'E').gate.state], ['closed', 'passed']);
  assert.match(statusBarView(s).text, /^\$\(sync~spin\) E · slice · /, 'the status bar names the workflow');
});

test("a check gate that fails: the step failed, the gate failed with the report's first lines", async () => {
  const report = [
    '## Pipeline stopped: the gate of phase B did not pass',
    '- spec/active/orders-api/adr.md:1: missing section "Consequences"',
    '- spec/active/orders-api/diagrams.md: missing',
    '### Action needed',
    'Complete the documents, then resume.',
  ].join('\n');
  const s = fold([
    ...started('slice'),
    { type: 'workflow.defined', runId: 'r1', definition: await slice() },
    ...events(
      { type: 'phase.started', phase: 'B' },
      { type: 'phase.completed', phase: 'B', ms: 5 },
      { type: 'run.stopped', runId: 'r1', reason: 'phase B: 2 document problem(s)', report },
    ),
  ]);
  assert.equal(step(s, 'B').state, 'failed');
  assert.deepEqual(step(s, 'B').gate, {
    kind: 'check',
    detail: 'sections, adr, mermaid',
    state: 'failed',
    report:
      'Pipeline stopped: the gate of phase B did not pass\n- spec/active/orders-api/adr.md:1: missing section "Consequences"\n- spec/active/orders-api/diagrams.md: missing\nAction needed',
  });
  // Resumed: the phase starts again, its gate is checked again.
  const again = fold(events({ type: 'phase.started', phase: 'B' }), s);
  assert.deepEqual(
    [step(again, 'B').state, step(again, 'B').gate.state, step(again, 'B').gate.report],
    ['running', 'pending', undefined],
  );
});

test('the definition may come after the events: the states the events set are kept, in the file order', async () => {
  const s = fold([
    ...started('slice'),
    ...events(
      { type: 'phase.started', phase: 'SYNC' },
      { type: 'phase.closed', phase: 'SYNC', documents: [] },
      { type: 'phase.started', phase: 'A' },
    ),
    specPending,
  ]);
  const checkpoint = fold(events({ type: 'phase.started', phase: 'CHECKPOINT' }), s);
  assert.deepEqual(
    checkpoint.run?.workflow?.steps.map((x) => x.phase),
    ['SYNC', 'A', 'CHECKPOINT'],
    'before the file is read: the phases the events named',
  );
  const defined = fold([{ type: 'workflow.defined', runId: 'r1', definition: await slice() }], checkpoint);
  assert.equal(defined.run?.workflow?.steps.length, 10, "the engine's own CHECKPOINT is no step of the workflow");
  assert.equal(
    fold(
      events(
        { type: 'phase.started', phase: 'CHECKPOINT' },
        { type: 'phase.closed', phase: 'CHECKPOINT', documents: [] },
      ),
      defined,
    ).run?.workflow,
    defined.run?.workflow,
  );
  assert.deepEqual(
    [step(defined, 'SYNC').state, step(defined, 'A').state, step(defined, 'A').gate.state, step(defined, 'B').state],
    ['closed', 'waiting', 'waiting', 'pending'],
  );
  // Another run's definition changes nothing.
  assert.equal(fold([{ type: 'workflow.defined', runId: 'other', definition: await slice() }], s), s);
});
