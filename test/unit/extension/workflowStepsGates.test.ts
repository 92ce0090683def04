/**
 * The sidebar's workflow steps (issue 29) at their gates: the webview's decisions naming a phase,
 * the workflow picker, a gate saved for later, a failed check retried, a closed phase sent back,
 * a worktree lane's documents.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { viewStateSchema } from '../../../src/shared/viewState';
import { parseWebviewMessage } from '../../../src/shared/protocol';
import type { ViewAction } from '../../../src/extension/view/actions';
import { workflowItems } from '../../../src/extension/run/workflowItems';
import { events, fold, shipped, slice, started, step } from './workflowStepsFold';

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
