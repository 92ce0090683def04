// Runs in worktrees side by side (issue 22): each run's events land in its own lane; the
// in-place run, the status bar's sum and the decisions of several runs stay apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunSummary } from '../../../src/core/api';
import type { EngineEvent } from '../../../src/core/events';
import { emptyViewState, viewStateSchema, type ViewState } from '../../../src/shared/viewState';
import type { ViewAction } from '../../../src/extension/view/actions';
import { reduce } from '../../../src/extension/view/reducer';
import { contextKeys, statusBarView } from '../../../src/extension/view/selectors';

const fold = (actions: ViewAction[], from: ViewState = emptyViewState()): ViewState => actions.reduce(reduce, from);
const on = (lane: string, ...list: EngineEvent[]): ViewAction[] =>
  list.map((event) => ({ type: 'engine', event, lane }));
const usage = { input: 10, output: 5, cacheRead: 0, cacheWrite: 0 };
const lane = (s: ViewState, key: string) => s.lanes!.find((run) => run.lane === key)!;

const summary = (runId: string, worktree: string): RunSummary => ({
  runId,
  status: 'completed',
  phases: [],
  usage,
  costUsd: 0.2,
  costByAgent: {},
  requests: 2,
  unpricedRequests: 0,
  byAgent: {},
  byProvider: {},
  filesChanged: ['server/entities/address.js'],
  retries: {},
  reviewRounds: 0,
  worktree,
});

const twoRuns: ViewAction[] = [
  { type: 'lane.begin', lane: 'lane-1', kind: 'feature', request: 'Add an Address entity' },
  { type: 'lane.begin', lane: 'lane-2', kind: 'feature', request: 'Add an Invoice entity' },
  ...on(
    'lane-1',
    { type: 'run.started', runId: 'r1', kind: 'feature', request: 'Add an Address entity' },
    { type: 'worktree.created', path: '/wt/r1', ref: 'refs/orchestrator-worktree/r1/base', commit: 'a'.repeat(40) },
  ),
  ...on(
    'lane-2',
    { type: 'run.started', runId: 'r2', kind: 'feature', request: 'Add an Invoice entity' },
    { type: 'phase.started', phase: 'IMPLEMENT' },
    { type: 'wave.started', wave: 1, of: 1, layers: ['backend'] },
  ),
  ...on('lane-1', { type: 'llm.usage', agent: 'spec', model: 'm', usage, costUsd: 0.1, ms: 5 }),
  ...on('lane-2', { type: 'llm.usage', agent: 'backend', model: 'm', usage, costUsd: 0.25, ms: 5 }),
];

test('lanes: two worktree runs side by side, each with its own events, waves and cost; the in-place view is untouched', () => {
  const s = fold(twoRuns);
  assert.equal(s.run, undefined, 'no in-place run');
  assert.equal(s.busy, false, 'worktree runs do not make the window busy for in-place runs');
  assert.deepEqual(
    s.lanes!.map((run) => [run.lane, run.runId, run.live]),
    [
      ['lane-1', 'r1', true],
      ['lane-2', 'r2', true],
    ],
  );
  assert.deepEqual(lane(s, 'lane-1').worktree, { path: '/wt/r1', outcome: 'pending' });
  assert.deepEqual(lane(s, 'lane-2').waves, [{ index: 1, of: 1, layers: ['backend'] }]);
  assert.equal(lane(s, 'lane-1').costUsd, 0.1);
  assert.equal(lane(s, 'lane-2').costUsd, 0.25);
  assert.ok(viewStateSchema.safeParse(s).success);
  assert.equal(contextKeys(s)['orchestrator.running'], true);
});

test('lanes: the status bar sums the runs going at once and lists each in its tooltip', () => {
  const view = statusBarView(fold(twoRuns));
  assert.equal(view.text, '$(sync~spin) 2 runs · $0.35');
  assert.match(view.tooltip, /Add an Address entity: .* · \$0\.10\nAdd an Invoice entity: IMPLEMENT · \$0\.25/);
});

test('lanes: one run ends and waits for Apply, the other is cancelled; closing removes only a finished lane', () => {
  let s = fold([
    ...twoRuns,
    { type: 'lane.end', lane: 'lane-1', summary: summary('r1', '/wt/r1') },
    { type: 'lane.end', lane: 'lane-2', cancelled: true },
  ]);
  assert.deepEqual(
    [lane(s, 'lane-1').status, lane(s, 'lane-1').live, lane(s, 'lane-1').worktree?.outcome],
    ['completed', false, 'pending'],
  );
  assert.equal(lane(s, 'lane-2').status, 'cancelled');
  assert.equal(statusBarView(s).text.includes('2 runs'), false, 'nothing is running any more');
  s = fold([{ type: 'lane.close', runId: 'r1' }], s);
  assert.deepEqual(
    s.lanes!.map((run) => run.runId),
    ['r2'],
  );
});

test('lanes: a lane waiting for its spec decision shows it, and the decision does not touch the in-place run', () => {
  const spec = { id: '2026-11-23-address-api', path: 'spec/active/2026-11-23-address-api/spec.md', markdown: '# spec' };
  let s = fold([
    ...twoRuns,
    { type: 'run.begin', kind: 'feature', request: 'in place' },
    { type: 'decision.pending', spec, lane: 'lane-1' },
  ]);
  assert.equal(lane(s, 'lane-1').status, 'awaiting-approval');
  assert.equal(s.run!.status, 'running');
  assert.equal(s.pendingDecision?.id, spec.id);
  s = fold([{ type: 'decision.resolved', lane: 'lane-1' }], s);
  assert.equal(lane(s, 'lane-1').status, 'running');
  assert.equal(s.pendingDecision, undefined);
});

test('runs list: a worktree run carries its outcome', () => {
  const s = fold([
    {
      type: 'runs',
      runs: [
        {
          runId: 'r1',
          kind: 'feature',
          request: 'x',
          status: 'completed',
          started: '2026-11-23T01:00:00Z',
          worktree: { path: '/wt/r1', outcome: 'pending' },
        },
      ],
    },
  ]);
  assert.deepEqual(s.runs[0]!.worktree, { path: '/wt/r1', outcome: 'pending' });
  assert.ok(viewStateSchema.safeParse(s).success);
});
