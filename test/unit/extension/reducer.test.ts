import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunSummary } from '../../../src/core/api';
import type { EngineEvent } from '../../../src/core/events';
import {
  budgetLabel,
  emptyViewState,
  runSpendLabel,
  spendLabel,
  viewStateSchema,
  type ViewState,
} from '../../../src/shared/viewState';
import type { ViewAction } from '../../../src/extension/view/actions';
import { reduce } from '../../../src/extension/view/reducer';
import { progressMessage, statusBarView } from '../../../src/extension/view/selectors';

const fold = (actions: ViewAction[], from: ViewState = emptyViewState()): ViewState => actions.reduce(reduce, from);
const events = (...list: EngineEvent[]): ViewAction[] => list.map((event) => ({ type: 'engine', event }));
const usage = (input: number, output: number) => ({ input, output, cacheRead: 0, cacheWrite: 0 });
const agent = (s: ViewState, name: string) => s.run!.agents.find((a) => a.name === name)!;

const summary = (over: Partial<RunSummary> = {}): RunSummary => ({
  runId: 'r1',
  status: 'completed',
  phases: [],
  usage: usage(100, 50),
  costUsd: 0.5,
  costByAgent: {},
  requests: 0,
  unpricedRequests: 0,
  byAgent: {},
  byProvider: {},
  filesChanged: ['server/a.ts'],
  retries: {},
  reviewRounds: 1,
  ...over,
});

const started: ViewAction[] = [
  { type: 'run.begin', kind: 'feature', request: 'Add Supplier' },
  ...events(
    { type: 'run.started', runId: 'r1', kind: 'feature', request: 'Add Supplier' },
    { type: 'phase.started', phase: 'IMPLEMENT' },
    { type: 'wave.started', wave: 1, of: 2, layers: ['database', 'backend'] },
  ),
];

test('a run begins busy and live, and waves create waiting layer rows in order', () => {
  const s = fold(started);
  assert.equal(s.busy, true);
  assert.equal(s.run?.live, true);
  assert.equal(s.run?.runId, 'r1');
  assert.equal(s.run?.phase, 'IMPLEMENT');
  assert.deepEqual(s.run?.waves, [{ index: 1, of: 2, layers: ['database', 'backend'] }]);
  assert.deepEqual(
    s.run?.agents.map((a) => [a.name, a.wave, a.state]),
    [
      ['database', 1, 'waiting'],
      ['backend', 1, 'waiting'],
    ],
  );
  assert.ok(viewStateSchema.safeParse(s).success, 'the state is always a valid protocol payload');
});

test('layer states: running → validating → failed → retry n/max → validating → passed', () => {
  let s = fold([...started, ...events({ type: 'agent.started', agent: 'backend', attempt: 1, mode: 'implement' })]);
  assert.equal(agent(s, 'backend').state, 'running');
  s = fold(events({ type: 'agent.completed', agent: 'backend', attempt: 1, outcome: 'submitted' }), s);
  assert.equal(agent(s, 'backend').state, 'validating', 'the orchestrator validates next');
  s = fold(
    events(
      { type: 'validation.started', layer: 'backend', command: 'npm run build' },
      { type: 'validation.failed', layer: 'backend', command: 'npm run build', output: 'TS2304: x', exitCode: 2 },
    ),
    s,
  );
  assert.equal(agent(s, 'backend').state, 'failed');
  assert.equal(agent(s, 'backend').lastError, 'TS2304: x');
  s = fold(
    events(
      { type: 'retry', layer: 'backend', attempt: 1, max: 2 },
      { type: 'agent.started', agent: 'backend', attempt: 2, mode: 'retry' },
    ),
    s,
  );
  assert.equal(agent(s, 'backend').state, 'retry');
  assert.deepEqual(agent(s, 'backend').retry, { n: 1, max: 2 });
  s = fold(
    events(
      { type: 'validation.started', layer: 'backend', command: 'npm run build' },
      { type: 'validation.passed', layer: 'backend' },
    ),
    s,
  );
  assert.equal(agent(s, 'backend').state, 'passed');
  assert.equal(agent(s, 'backend').lastError, undefined);
});

test('a later wave marks earlier layers left in validating as passed', () => {
  const s = fold([
    ...started,
    ...events(
      { type: 'agent.completed', agent: 'database', attempt: 1, outcome: 'submitted' },
      { type: 'wave.started', wave: 2, of: 2, layers: ['frontend'] },
    ),
  ]);
  assert.equal(agent(s, 'database').state, 'passed');
  assert.equal(agent(s, 'frontend').wave, 2);
});

test('usage and cost accumulate per run and per agent', () => {
  const s = fold([
    ...started,
    ...events(
      { type: 'llm.usage', agent: 'backend', model: 'm', usage: usage(1000, 200), costUsd: 0.01, ms: 5 },
      {
        type: 'llm.usage',
        agent: 'backend',
        model: 'm',
        usage: { input: 10, output: 5, cacheRead: 500, cacheWrite: 100 },
        costUsd: 0.02,
        ms: 5,
      },
      { type: 'llm.usage', agent: 'spec', model: 'm', usage: usage(1, 1), costUsd: 0.1, ms: 5 },
    ),
  ]);
  assert.deepEqual(s.run?.usage, { input: 1011, output: 206, cacheRead: 500, cacheWrite: 100 });
  assert.ok(Math.abs(s.run!.costUsd - 0.13) < 1e-9);
  assert.equal(agent(s, 'backend').tokens, 1815);
  assert.equal(agent(s, 'spec').wave, undefined, 'phase agents have no wave');
});

test('cost per agent and per provider; the budget banner names the cap reached: dollars, or requests without a price', () => {
  const s = fold([
    ...started,
    ...events(
      {
        type: 'llm.usage',
        agent: 'spec',
        model: 'claude-opus-5-5',
        provider: 'anthropic',
        usage: usage(1000, 200),
        costUsd: 0.05,
        ms: 5,
      },
      {
        type: 'llm.usage',
        agent: 'backend',
        model: 'openai:local',
        provider: 'openai',
        usage: usage(0, 0),
        costUsd: 0,
        priced: false,
        ms: 5,
      },
      {
        type: 'llm.usage',
        agent: 'backend',
        model: 'openai:local',
        provider: 'openai',
        usage: usage(0, 0),
        costUsd: 0,
        priced: false,
        ms: 5,
      },
      { type: 'budget.exceeded', spentUsd: 0.05, limitUsd: 5, unpricedRequests: 2, maxRequests: 2 },
    ),
  ]);
  assert.deepEqual(s.run!.byProvider, {
    anthropic: { costUsd: 0.05, requests: 1, unpricedRequests: 0 },
    openai: { costUsd: 0, requests: 2, unpricedRequests: 2 },
  });
  assert.equal(spendLabel(agent(s, 'backend')), '2 req');
  assert.equal(spendLabel(agent(s, 'spec')), '$0.05');
  assert.equal(runSpendLabel(s.run!), '$0.05 + 2 req');
  assert.equal(
    budgetLabel(s.run!.budget!),
    'Request cap reached: 2 of 2 requests without a price (limits.maxRequests)',
  );
  assert.equal(s.run!.activity.at(-1)!.text, budgetLabel(s.run!.budget!));
  assert.equal(
    budgetLabel({ spentUsd: 5.01, limitUsd: 5, unpricedRequests: 1, maxRequests: 10 }),
    'Budget reached: $5.01 of $5.00',
  );
  assert.ok(viewStateSchema.safeParse(s).success);
});

test('a pending decision selects the spec and sets awaiting-approval; resolving resumes running', () => {
  const spec = { id: '2025-01-01-supplier', path: 'spec/active/2025-01-01-supplier/spec.md', markdown: '# Spec' };
  let s = fold([...started, { type: 'decision.pending', spec }]);
  assert.deepEqual(s.pendingDecision, spec);
  assert.deepEqual(s.selectedSpec, spec);
  assert.equal(s.run?.status, 'awaiting-approval');
  s = reduce(s, { type: 'decision.resolved' });
  assert.equal(s.pendingDecision, undefined);
  assert.equal(s.run?.status, 'running');
});

test('review verdicts and skips are shown with their issues', () => {
  const issue = {
    file: 'server/a.ts',
    line: 12,
    severity: 'major' as const,
    problem: 'No validation',
    fix: 'Validate input',
  };
  let s = fold([...started, ...events({ type: 'review.verdict', round: 1, verdict: 'rejected', issues: [issue] })]);
  assert.deepEqual(s.run?.review, { round: 1, verdict: 'rejected', issues: [issue] });
  s = fold(events({ type: 'review.skipped', reason: '2 files changed' }), s);
  assert.equal(s.run?.review?.verdict, 'skipped');
  assert.equal(s.run?.review?.reason, '2 files changed');
});

test('run.stopped keeps the report; run.end makes the run not live and not busy', () => {
  let s = fold([
    ...started,
    ...events(
      { type: 'agent.started', agent: 'database', attempt: 1, mode: 'implement' },
      {
        type: 'run.stopped',
        runId: 'r1',
        reason: 'validation failed',
        report: '## Pipeline stopped: validation failed',
      },
    ),
  ]);
  assert.equal(s.run?.status, 'stopped');
  assert.equal(s.run?.stop?.report, '## Pipeline stopped: validation failed');
  assert.equal(agent(s, 'database').state, 'cancelled');
  s = reduce(s, { type: 'run.end', summary: summary({ status: 'stopped', error: 'validation failed' }) });
  assert.equal(s.busy, false);
  assert.equal(s.run?.live, false);
  assert.equal(s.run?.status, 'stopped');
});

test('run.end with a summary takes the engine’s totals; completed turns validating layers to passed', () => {
  const s = fold([
    ...started,
    ...events({ type: 'agent.completed', agent: 'backend', attempt: 1, outcome: 'submitted' }),
    { type: 'run.end', summary: summary() },
  ]);
  assert.equal(s.run?.status, 'completed');
  assert.equal(s.run?.costUsd, 0.5);
  assert.deepEqual(s.run?.filesChanged, ['server/a.ts']);
  assert.equal(agent(s, 'backend').state, 'passed');
});

test('cancel and errors end the run without a summary', () => {
  const cancelled = fold([
    ...started,
    ...events({ type: 'agent.started', agent: 'backend', attempt: 1, mode: 'implement' }),
    { type: 'run.end', cancelled: true },
  ]);
  assert.equal(cancelled.run?.status, 'cancelled');
  assert.equal(agent(cancelled, 'backend').state, 'cancelled');
  const failed = fold([...started, { type: 'run.end', error: '401 authentication_error' }]);
  assert.equal(failed.run?.status, 'failed');
  assert.equal(failed.run?.error, '401 authentication_error');
  assert.equal(failed.busy, false);
});

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

test('agent.blocked fails the layer with the reason', () => {
  const s = fold([
    ...started,
    ...events({ type: 'agent.blocked', agent: 'backend', reason: 'needs a schema decision' }),
  ]);
  assert.equal(agent(s, 'backend').state, 'failed');
  assert.equal(agent(s, 'backend').summary, 'needs a schema decision');
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

test("the deploy step after COMPLETE: the DEPLOY phase, deployed, then the smoke tests' verdict, in the run view and its activity", () => {
  const begin: ViewAction[] = [{ type: 'run.begin', kind: 'feature', request: 'Add a Product entity' }];
  const deployed = fold([
    ...begin,
    ...events(
      { type: 'run.started', runId: 'r1', kind: 'feature', request: 'Add a Product entity' },
      { type: 'phase.started', phase: 'COMPLETE' },
      { type: 'phase.completed', phase: 'COMPLETE', ms: 10 },
      { type: 'phase.started', phase: 'DEPLOY' },
      { type: 'deploy.completed', commands: ['./deploy.sh staging'], ms: 900 },
    ),
  ]);
  assert.deepEqual(deployed.run!.deploy, { deployed: true });
  assert.equal(deployed.run!.phases.at(-1)?.name, 'DEPLOY');
  const failed = fold(
    events({ type: 'smoke.failed', command: 'npm run smoke', exitCode: 1, output: 'GET / -> 500' }),
    deployed,
  );
  assert.deepEqual(failed.run!.deploy, { deployed: true, smoke: 'failed', detail: 'npm run smoke (exit 1)' });
  assert.ok(
    failed.run!.activity.some(
      (line) => line.level === 'error' && line.text === 'Smoke test failed: npm run smoke (exit 1)',
    ),
  );
  const passed = fold(events({ type: 'smoke.passed', commands: ['npm run smoke'], ms: 300 }), deployed);
  assert.equal(passed.run!.deploy?.smoke, 'passed');
  assert.equal(viewStateSchema.safeParse(failed).success, true, 'the state crosses the webview boundary');
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

test('a confirmation waiting for the human: the run and its asking layer say "waiting for you" with the question, until answered', () => {
  const question = 'The database layer will change the schema (db/migrations/003_create_product.sql). Continue?';
  const running = fold([
    ...started,
    ...events({ type: 'agent.started', agent: 'database', attempt: 1, mode: 'implement' }),
  ]);
  assert.match(statusBarView(running).text, /^\$\(sync~spin\) IMPLEMENT/);
  const asking = reduce(running, { type: 'confirmation', asking: { agent: 'database', question } });
  assert.deepEqual(asking.run?.asking, { agent: 'database', question });
  assert.equal(statusBarView(asking).text, `$(bell) Orchestrator: waiting for you: ${question.slice(0, 59)}…`);
  assert.match(statusBarView(asking).tooltip, /database asks: The database layer will change the schema/);
  assert.equal(progressMessage(asking.run!), `waiting for you: ${question}`);
  assert.ok(viewStateSchema.safeParse(asking).success, 'the webview accepts it');
  const answered = reduce(asking, { type: 'confirmation', asking: undefined });
  assert.equal(answered.run?.asking, undefined);
  assert.match(statusBarView(answered).text, /^\$\(sync~spin\) IMPLEMENT/);
  assert.equal(reduce(answered, { type: 'confirmation', asking: undefined }), answered, 'nothing to clear');
  // A run ending with a question open (cancelled meanwhile) drops it.
  assert.equal(reduce(asking, { type: 'run.end', cancelled: true }).run?.asking, undefined);
});

test('a worktree lane waiting on a question says so in the status bar too', () => {
  const lane = fold([{ type: 'lane.begin', lane: 'lane-1', kind: 'feature', request: 'Add X' }]);
  const asking = reduce(lane, {
    type: 'confirmation',
    asking: { agent: 'backend', question: 'Delete 40 lines?' },
    lane: 'lane-1',
  });
  assert.equal(asking.lanes?.[0]?.asking?.question, 'Delete 40 lines?');
  assert.equal(statusBarView(asking).text, '$(bell) Orchestrator: waiting for you: Delete 40 lines?');
});
