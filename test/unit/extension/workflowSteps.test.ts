/**
 * The sidebar's workflow steps (issue 29): the view folded from phase events and the workflow
 * file's listing, in either order; the spec gate and a phase's human gate on their steps; a
 * failed check gate with its report; the same steps rebuilt from the journal after a reload.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineEvent } from '../../../src/core/events';
import { engine } from '../../../src/core/engine';
import { emptyViewState, viewStateSchema, type ViewState, type WorkflowStepView } from '../../../src/shared/viewState';
import { parseWebviewMessage } from '../../../src/shared/protocol';
import type { ViewAction } from '../../../src/extension/view/actions';
import { reduce } from '../../../src/extension/view/reducer';
import { statusBarView } from '../../../src/extension/view/selectors';
import { definitionOf } from '../../../src/extension/run/workflowSteps';
import { workflowItems } from '../../../src/extension/run/workflowItems';

const fold = (actions: ViewAction[], from: ViewState = emptyViewState()): ViewState => actions.reduce(reduce, from);
const events = (...list: EngineEvent[]): ViewAction[] => list.map((event) => ({ type: 'engine', event }));
const step = (s: ViewState, phase: string): WorkflowStepView => {
  const found = s.run?.workflow?.steps.find((x) => x.phase === phase);
  assert.ok(found, `step ${phase} is shown`);
  return found;
};
const states = (s: ViewState) =>
  s.run?.workflow?.steps.map((x) => `${x.phase}=${x.state}/${x.gate.kind}:${x.gate.state}`);

/** The shipped workflows as the engine lists them for a workspace of none of its own (what `orchestrator workflows --json` prints). */
const shipped = engine.listWorkflows(mkdtempSync(join(tmpdir(), 'orch-wfsteps-')));
const slice = async () => definitionOf('slice', await shipped);

const started = (workflow?: string): ViewAction[] => [
  { type: 'run.begin', kind: 'feature', request: 'Orders API' },
  ...events({
    type: 'run.started',
    runId: 'r1',
    kind: 'feature',
    request: 'Orders API',
    ...(workflow ? { workflow } : {}),
  }),
];

const specPending: ViewAction = {
  type: 'decision.pending',
  spec: { id: 'orders-api', path: 'spec/active/orders-api/spec.md', markdown: '# Spec: Orders API' },
};

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

test('gate decisions from the webview name the phase; a malformed phase is dropped', () => {
  const ok = parseWebviewMessage({ type: 'approve', specId: 'orders-api', phase: 'E' });
  assert.deepEqual(ok, { ok: true, message: { type: 'approve', specId: 'orders-api', phase: 'E' } });
  assert.equal(
    parseWebviewMessage({ type: 'requestChanges', specId: 'orders-api', phase: 'E', feedback: '  more stress cases ' })
      .ok,
    true,
  );
  assert.deepEqual(
    parseWebviewMessage({ type: 'save', specId: 'orders-api' }),
    { ok: true, message: { type: 'save', specId: 'orders-api' } },
    'the spec gate as before',
  );
  for (const phase of ['', '../E', 'E F', 'x'.repeat(101), 7])
    assert.equal(
      parseWebviewMessage({ type: 'approve', specId: 'orders-api', phase }).ok,
      false,
      `phase ${JSON.stringify(phase)}`,
    );
});

test("the picker lists the workspace's workflows (its own first), a bugfix's own pipeline first, a broken file with its problem", async () => {
  const listings = [
    {
      name: 'mine',
      origin: 'workspace' as const,
      phases: [],
      problem: '.claude/workflows/mine.yaml:4 phases.0.gate: invalid',
    },
    ...(await shipped),
  ];
  const feature = workflowItems('feature', listings, 'feature');
  assert.deepEqual(
    feature.map((item) => item.name),
    ['mine', 'feature', 'slice', 'squads'],
  );
  assert.deepEqual(feature[0], {
    name: 'mine',
    label: '$(error) mine',
    description: 'this workspace',
    detail: '.claude/workflows/mine.yaml:4 phases.0.gate: invalid',
    problem: '.claude/workflows/mine.yaml:4 phases.0.gate: invalid',
  });
  assert.match(feature[1]!.description, /^\(chosen\) · shipped · 7 phases$/);
  assert.match(feature[2]!.detail, /A–G/);
  const bugfix = workflowItems('bugfix', listings, undefined);
  assert.deepEqual(
    bugfix.map((item) => item.name),
    [undefined, 'mine', 'feature', 'slice', 'squads'],
  );
  assert.match(bugfix[0]!.description, /^\(chosen\)/);
});

test("a phase's gate saved for later still waits after the run ended; approved, it passes; sent back, the phase runs again", async () => {
  const qa = 'spec/active/orders-api/qa-report.md';
  const base = fold([
    ...started('slice'),
    { type: 'workflow.defined', runId: 'r1', definition: await slice() },
    ...events({ type: 'phase.started', phase: 'E' }, { type: 'phase.completed', phase: 'E', ms: 10 }),
  ]);
  const saved = fold(
    [
      ...events(
        { type: 'phase.saved', phase: 'E', documents: [qa] },
        { type: 'run.completed', runId: 'r1', summary: { status: 'spec-saved' } },
      ),
      { type: 'run.end', summary: undefined },
    ],
    base,
  );
  assert.equal(saved.run?.status, 'spec-saved');
  assert.deepEqual(
    [step(saved, 'E').state, step(saved, 'E').gate.state, step(saved, 'E').documents],
    ['waiting', 'saved', [qa]],
  );
  const sentBack = fold(events({ type: 'phase.changes-requested', phase: 'E', feedback: 'add a stress case' }), base);
  assert.deepEqual([step(sentBack, 'E').state, step(sentBack, 'E').gate.state], ['running', 'pending']);
  const approved = fold(events({ type: 'phase.approved', phase: 'E' }), base);
  assert.deepEqual([step(approved, 'E').state, step(approved, 'E').gate.state], ['running', 'passed']);
  assert.ok(viewStateSchema.safeParse(saved).success);
});

test('a role phase whose check gate failed is retried with the report in view, then closes', async () => {
  const report = '- docs/data/dictionary.md: table reservations: column notes is in the schema, not in the dictionary';
  let s = fold([
    ...started('slice'),
    { type: 'workflow.defined', runId: 'r1', definition: await slice() },
    ...events(
      { type: 'phase.started', phase: 'F' },
      { type: 'phase.completed', phase: 'F', ms: 3 },
      { type: 'phase.retry', phase: 'F', attempt: 1, max: 2, report },
    ),
  ]);
  assert.deepEqual(
    [step(s, 'F').state, step(s, 'F').gate.state, step(s, 'F').gate.report, step(s, 'F').retry],
    ['running', 'failed', report, { attempt: 1, max: 2 }],
  );
  s = fold(events({ type: 'phase.started', phase: 'F' }), s);
  assert.equal(step(s, 'F').gate.state, 'failed', 'the report stays while the role writes again');
  s = fold(
    events(
      { type: 'phase.completed', phase: 'F', ms: 2 },
      { type: 'phase.closed', phase: 'F', documents: ['docs/data/dictionary.md'] },
    ),
    s,
  );
  assert.deepEqual(
    [step(s, 'F').state, step(s, 'F').gate.state, step(s, 'F').gate.report, step(s, 'F').retry],
    ['closed', 'passed', undefined, undefined],
  );
});

test('a closed phase a change request sends back runs again and its gate asks again', async () => {
  let s = fold([
    ...started('slice'),
    { type: 'workflow.defined', runId: 'r1', definition: await slice() },
    ...events(
      { type: 'phase.started', phase: 'B' },
      { type: 'phase.completed', phase: 'B', ms: 3 },
      { type: 'phase.closed', phase: 'B', documents: ['spec/active/x/adr.md', 'spec/active/x/diagrams.md'] },
    ),
  ]);
  assert.deepEqual([step(s, 'B').state, step(s, 'B').gate.state], ['closed', 'passed']);
  s = fold(
    events(
      { type: 'change.approved', changeId: 'c1', specId: 'x', version: 2, requirements: ['REQ-1'], layers: [] },
      { type: 'phase.started', phase: 'B' },
    ),
    s,
  );
  assert.deepEqual([step(s, 'B').state, step(s, 'B').gate.state], ['running', 'pending']);
  assert.deepEqual(
    step(s, 'B').documents,
    ['spec/active/x/adr.md', 'spec/active/x/diagrams.md'],
    'the last versions stay linked',
  );
  s = fold(
    events(
      { type: 'phase.completed', phase: 'B', ms: 2 },
      { type: 'phase.closed', phase: 'B', documents: ['spec/active/x/adr.md', 'spec/active/x/diagrams.md'] },
    ),
    s,
  );
  assert.deepEqual([step(s, 'B').state, step(s, 'B').gate.state], ['closed', 'passed']);
});

test("a worktree run's documents open in its worktree: the lane keeps the run's folder there; the message names the lane", () => {
  const lane: ViewAction[] = [
    { type: 'lane.begin', lane: 'lane-1', kind: 'feature', request: 'Orders API' },
    {
      type: 'engine',
      lane: 'lane-1',
      event: { type: 'run.started', runId: 'r5', kind: 'feature', request: 'Orders API', workflow: 'slice' },
    },
    {
      type: 'engine',
      lane: 'lane-1',
      event: {
        type: 'worktree.created',
        path: '/repo/.worktrees/r5',
        workspace: '/repo/.worktrees/r5/apps/shop',
        ref: 'refs/x',
        commit: 'abc',
      },
    },
  ];
  const s = fold(lane);
  assert.deepEqual(s.lanes?.[0]?.worktree, {
    path: '/repo/.worktrees/r5',
    outcome: 'pending',
    workspace: '/repo/.worktrees/r5/apps/shop',
  });
  assert.equal(s.lanes?.[0]?.workflow?.name, 'slice');
  assert.deepEqual(parseWebviewMessage({ type: 'openFile', path: 'spec/active/x/qa-report.md', lane: 'lane-1' }), {
    ok: true,
    message: { type: 'openFile', path: 'spec/active/x/qa-report.md', lane: 'lane-1' },
  });
  assert.equal(parseWebviewMessage({ type: 'openFile', path: 'a.md', lane: '../x' }).ok, false);
});
