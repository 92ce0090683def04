/** The view reducer on a live run: its layers' states, spend and budget, decisions, reviews, deploy, questions, its end. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { budgetLabel, runSpendLabel, spendLabel, viewStateSchema } from '../../../src/shared/viewState';
import type { ViewAction } from '../../../src/extension/view/actions';
import { reduce } from '../../../src/extension/view/reducer';
import { progressMessage, statusBarView } from '../../../src/extension/view/selectors';
import { agent, events, fold, started, summary, usage } from './reducerFold';

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

test('agent.blocked fails the layer with the reason', () => {
  const s = fold([
    ...started,
    ...events({ type: 'agent.blocked', agent: 'backend', reason: 'needs a schema decision' }),
  ]);
  assert.equal(agent(s, 'backend').state, 'failed');
  assert.equal(agent(s, 'backend').summary, 'needs a schema decision');
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
