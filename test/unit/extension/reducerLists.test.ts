/** The view reducer beyond the live run: restored and resumed journals, the spec and run lists, activity, init, Mustard folders. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent } from '../../../src/core/events';
import { emptyViewState, viewStateSchema } from '../../../src/shared/viewState';
import type { ViewAction } from '../../../src/extension/view/actions';
import { reduce } from '../../../src/extension/view/reducer';
import { statusBarView } from '../../../src/extension/view/selectors';
import { agent, events, fold, started } from './reducerFold';

test('a restored journal shows an unfinished run as interrupted and never replaces a live run', () => {
  const info = {
    runId: 'r9',
    kind: 'feature' as const,
    request: 'Add X',
    status: 'interrupted' as const,
    started: '2025-01-01T00:00:00Z',
  };
  const journal: EngineEvent[] = [
    { type: 'run.started', runId: 'r9', kind: 'feature', request: 'Add X' },
    { type: 'wave.started', wave: 1, of: 1, layers: ['backend'] },
    { type: 'agent.started', agent: 'backend', attempt: 1, mode: 'implement' },
  ];
  const s = reduce(emptyViewState(), { type: 'run.restored', info, events: journal });
  // Cancelled as the window closed, before the journal could say the run ended: stopped too, without "cancelled".
  const closing = reduce(emptyViewState(), {
    type: 'run.restored',
    info,
    events: [
      ...journal,
      { type: 'agent.completed', agent: 'backend', outcome: 'cancelled', summary: 'cancelled' } as EngineEvent,
    ],
  });
  assert.deepEqual([agent(closing, 'backend').state, agent(closing, 'backend').summary], ['stopped', undefined]);
  assert.equal(s.run?.status, 'interrupted');
  assert.equal(s.run?.live, false);
  assert.equal(agent(s, 'backend').state, 'stopped', 'the layer the window closed on is stopped, not running');
  assert.equal(statusBarView(s).text, '$(debug-pause) Orchestrator: stopped · Resume');
  const live = fold(started);
  assert.equal(reduce(live, { type: 'run.restored', info, events: journal }), live);
});

test('the reducer returns the same state for no-op actions and bumps version otherwise', () => {
  const s0 = emptyViewState();
  assert.equal(reduce(s0, { type: 'trust', trusted: true }), s0);
  const s1 = reduce(s0, { type: 'trust', trusted: false });
  assert.equal(s1.version, 1);
  assert.equal(s1.trusted, false);
  const unknown = { type: 'engine', event: { type: 'something.new' } } as unknown as ViewAction;
  const s2 = reduce(s1, { type: 'run.begin', kind: 'sync', request: 'Sync registry' });
  assert.equal(reduce(s2, unknown), s2, 'unknown engine events are ignored');
});

test('specs and runs are copied to plain items, runs newest first', () => {
  const s = fold([
    {
      type: 'specs',
      specs: [
        {
          id: 'a',
          title: 'A',
          kind: 'feature',
          status: 'active',
          path: 'spec/active/a',
          created: '2025-01-01T00:00:00Z',
        },
      ],
    },
    {
      type: 'runs',
      runs: [
        { runId: 'old', kind: 'feature', request: 'x', status: 'completed', started: '2025-01-01T00:00:00Z' },
        { runId: 'new', kind: 'bugfix', request: 'y', status: 'stopped', started: '2025-02-01T00:00:00Z' },
      ],
    },
  ]);
  assert.equal(s.specs[0]?.id, 'a');
  assert.deepEqual(
    s.runs.map((r) => r.runId),
    ['new', 'old'],
  );
});

test('activity keeps the last 100 lines and shows tool calls with their path', () => {
  const calls: EngineEvent[] = Array.from({ length: 150 }, (_, i) => ({
    type: 'tool.called',
    agent: 'backend',
    tool: 'write_file',
    input: { path: `f${i}.ts`, content: 'x' },
    isError: false,
    result: 'ok',
  }));
  const s = fold([...started, ...events(...calls)]);
  assert.equal(s.run?.activity.length, 100);
  assert.equal(s.run?.activity.at(-1)?.text, 'backend · write_file f149.ts');
});

test('resuming seeds the live run from its journal and clears the old stop', () => {
  const history: EngineEvent[] = [
    { type: 'run.started', runId: 'r1', kind: 'feature', request: 'Add Supplier' },
    { type: 'wave.started', wave: 1, of: 2, layers: ['backend'] },
    { type: 'validation.passed', layer: 'backend' },
    { type: 'run.stopped', runId: 'r1', reason: 'budget', report: '## stopped' },
  ];
  const s = reduce(emptyViewState(), { type: 'run.begin', kind: 'resume', request: 'Add Supplier', history });
  assert.equal(s.run?.status, 'running');
  assert.equal(s.run?.stop, undefined);
  assert.equal(s.run?.runId, 'r1');
  assert.equal(agent(s, 'backend').state, 'passed', 'finished layers stay finished');
});

test('issue 7: specs keep their unowned work, runs their unreadable reason; a rollback ends resumability', () => {
  const unowned = [{ kind: 'task' as const, line: 14, text: 'Create the customer table' }];
  const s = fold([
    {
      type: 'specs',
      specs: [
        {
          id: '2026-01-01-a',
          title: 'A',
          kind: 'feature',
          status: 'saved',
          path: 'spec/active/2026-01-01-a/spec.md',
          created: '2026-01-01T00:00:00Z',
          unowned,
        },
      ],
    },
    {
      type: 'runs',
      runs: [
        {
          runId: '20260101-000000-abcd',
          request: '',
          status: 'unreadable',
          started: '2026-01-01T00:00:00.000Z',
          problem: 'events.jsonl:1: corrupt journal line',
        },
      ],
    },
    ...started,
    ...events(
      { type: 'run.stopped', runId: 'r1', reason: 'agent', report: 'r' },
      { type: 'run.rolled-back', restored: ['a'], removed: [] },
    ),
  ]);
  assert.deepEqual(s.specs[0]!.unowned, unowned);
  assert.equal(s.runs[0]!.kind, undefined);
  assert.equal(s.runs[0]!.problem, 'events.jsonl:1: corrupt journal line');
  assert.equal(s.run!.status, 'rolled-back');
  assert.ok(viewStateSchema.safeParse(s).success, 'the state still crosses the webview boundary');
});

test('init: the proposal is shown, replaced, then dropped; dropping nothing changes nothing', () => {
  const taking = {
    status: 'taking' as const,
    workspace: 'shop',
    layers: [],
    schema: [],
    sourceFiles: 0,
    ownedFiles: 0,
    unowned: [],
    warnings: [],
    remainders: [],
    configExists: false,
  };
  const shown = reduce(emptyViewState(), { type: 'init', init: taking });
  assert.equal(shown.init?.status, 'taking');
  const ready = reduce(shown, { type: 'init', init: { ...taking, status: 'ready' } });
  assert.equal(ready.init?.status, 'ready');
  assert.ok(ready.version > shown.version);
  const dropped = reduce(ready, { type: 'init', init: undefined });
  assert.equal('init' in dropped, false);
  assert.equal(reduce(dropped, { type: 'init', init: undefined }), dropped, 'same object: no redundant post');
});

test('Mustard spec folders keep their stage, outcome and refusal in the view state', () => {
  const mustard = {
    stage: 'Close',
    outcome: 'Completed',
    waves: 2,
    completedWaves: 2,
    approvedByUser: false,
    refusal: 'finished in Mustard',
  };
  const s = fold([
    {
      type: 'specs',
      specs: [
        {
          id: '.claude/spec/login',
          title: 'Login',
          kind: 'feature',
          status: 'Mustard Close · Completed',
          path: '.claude/spec/login/spec.md',
          created: '2026-06-10T00:00:00.000Z',
          mustard,
        },
      ],
    },
  ]);
  assert.deepEqual(s.specs[0]!.mustard, mustard);
  assert.ok(viewStateSchema.safeParse(s).success);
});

test("the folder's change-sets (issue 73): shown as the engine gives them, one status per member; none, none shown", () => {
  const set = {
    setId: '2026-11-28-stock',
    request: 'Show <b>stock</b>',
    branch: 'changeset/2026-11-28-stock',
    specPath: '/w/.claude/changesets/2026-11-28-stock/spec.md',
    status: 'stopped' as const,
    stoppedAt: 'web',
    combined: 'failed' as const,
    members: [
      { name: 'sdk', status: 'completed', runIds: ['r1'], costUsd: 0.03, uses: [], combined: 'passed' as const },
      {
        name: 'web',
        status: 'completed',
        runIds: ['r2'],
        costUsd: 0.01,
        uses: [{ producer: 'sdk', via: 'npm' }],
        combined: 'failed' as const,
        reason: 'on the combined heads: web: npm test failed',
      },
    ],
    budget: { limitUsd: 5, spentUsd: 0.04 },
    updated: '2026-11-28T10:00:00.000Z',
  };
  const shown = reduce(emptyViewState(), { type: 'changeSets', sets: [set] });
  assert.deepEqual(shown.changeSets, [set]);
  assert.ok(viewStateSchema.safeParse(shown).success, 'the state the webview is sent parses');
  assert.equal(reduce(shown, { type: 'changeSets', sets: [] }).changeSets, undefined);
  const tampered = { ...shown, changeSets: [{ ...set, status: '<script>' }] };
  assert.equal(viewStateSchema.safeParse(tampered).success, false, 'a state restored from the webview is checked');
});
