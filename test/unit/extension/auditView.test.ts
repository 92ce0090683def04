import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent } from '../../../src/core/events';
import type { AuditSettings } from '../../../src/core/auditTypes';
import type { ViewAction } from '../../../src/extension/view/actions';
import { reduce } from '../../../src/extension/view/reducer';
import { progressMessage, statusBarView } from '../../../src/extension/view/selectors';
import { auditMissedTarget, emptyViewState, viewStateSchema, type ViewState } from '../../../src/shared/viewState';

const fold = (actions: ViewAction[], from: ViewState = emptyViewState()): ViewState => actions.reduce(reduce, from);
const events = (...list: EngineEvent[]): ViewAction[] => list.map((event) => ({ type: 'engine', event }));
const usage = { input: 1000, output: 100, cacheRead: 0, cacheWrite: 0 };

const settings: AuditSettings = {
  target: 'server',
  dimension: 'backend',
  targetScore: 100,
  minAcceptableScore: 80,
  maxIterations: 10,
  maxBudgetUsd: 5,
  template: { path: '.claude/audit/backend.md', text: '# Backend audit' },
};
const p0 = {
  id: 'BE-1',
  severity: 'P0' as const,
  description: 'hangs',
  file: 'server/index.js',
  line: 26,
  recommendation: 'answer 413',
};
const p2 = {
  id: 'BE-3',
  severity: 'P2' as const,
  description: 'copies rows',
  file: 'server/store.js',
  line: 27,
  recommendation: 'iterate the map',
};

const twoIterations: ViewAction[] = [
  { type: 'run.begin', kind: 'audit', request: 'server (backend) to 100/100' },
  ...events(
    { type: 'run.started', runId: 'r1', kind: 'audit', request: 'audit server (backend) to 100/100' },
    { type: 'audit.started', settings },
    { type: 'phase.started', phase: 'AUDIT' },
    { type: 'agent.started', agent: 'audit', attempt: 1, mode: 'audit' },
    { type: 'llm.usage', agent: 'audit', model: 'm', usage, costUsd: 0.7, ms: 10 },
    { type: 'audit.scored', iteration: 0, score: 75, findings: [p0, p2] },
    { type: 'phase.started', phase: 'CLOSE GAPS 1' },
    {
      type: 'audit.job.started',
      job: 'CLOSE GAPS 1/P0/backend/fix',
      iteration: 1,
      phase: 'CLOSE GAPS 1',
      layer: 'backend',
      role: 'fix',
      findings: ['BE-1'],
    },
    { type: 'agent.started', agent: 'backend', attempt: 1, mode: 'audit-fix' },
    {
      type: 'confirmation',
      question: 'The backend agent will create a new module or folder: server/mw/. Allow it?',
      answer: false,
      kind: 'new-module',
    },
    { type: 'llm.usage', agent: 'backend', model: 'm', usage, costUsd: 0.3, ms: 10 },
    { type: 'audit.job.ended', job: 'CLOSE GAPS 1/P0/backend/fix', outcome: 'done', summary: 'Closed BE-1.' },
    {
      type: 'audit.skipped',
      iteration: 1,
      phase: 'CLOSE GAPS 1',
      findings: ['X-1'],
      reason: 'no layer owns README.md',
    },
    {
      type: 'audit.tested',
      iteration: 1,
      runs: [{ command: 'npm test', exitCode: 0, runner: 'node:test', passed: 12, failed: 0, ms: 90 }],
    },
    { type: 'phase.started', phase: 'RE-AUDIT 1' },
    { type: 'audit.scored', iteration: 1, score: 82, findings: [p2] },
    { type: 'phase.started', phase: 'CLOSE GAPS 2' },
    { type: 'llm.usage', agent: 'audit', model: 'm', usage, costUsd: 0.2, ms: 10 },
  ),
];

test('audit view: scores per iteration, open findings, actions, confirmations, tests and cost per role', () => {
  const s = fold(twoIterations);
  const audit = s.run!.audit!;
  assert.deepEqual(audit.scores, [75, 82]);
  assert.equal(audit.iteration, 2);
  assert.deepEqual(
    audit.findings.map((f) => f.id),
    ['BE-3'],
  );
  assert.deepEqual(
    audit.actions.map((a) => [a.layer, a.role, a.state, a.findings, a.summary]),
    [
      ['backend', 'fix', 'done', ['BE-1'], 'Closed BE-1.'],
      ['—', 'human', 'skipped', ['X-1'], 'no layer owns README.md'],
    ],
  );
  assert.deepEqual(audit.confirmations, [
    {
      question: 'The backend agent will create a new module or folder: server/mw/. Allow it?',
      answer: false,
      kind: 'new-module',
    },
  ]);
  assert.deepEqual(
    audit.tests?.map((t) => [t.command, t.passed]),
    [['npm test', 12]],
  );
  assert.deepEqual(
    Object.fromEntries(Object.entries(audit.costByRole).map(([role, usd]) => [role, Math.round(usd * 100) / 100])),
    { audit: 0.9, fix: 0.3 },
  );
  assert.ok(s.run!.activity.some((l) => l.text === 'Score 82/100 (after iteration 1), 1 open findings'));
  assert.equal(viewStateSchema.safeParse(s).success, true, 'the state crosses the webview boundary');
});

test('audit status bar: AUDIT 2/10 · 82/100 · $1.20 while running; the score at the end', () => {
  const s = fold(twoIterations);
  assert.equal(statusBarView(s).text, '$(sync~spin) AUDIT 2/10 · 82/100 · $1.20');
  assert.equal(progressMessage(s.run!), 'AUDIT 2/10 · 82/100 · CLOSE GAPS 2 · $1.20');
  const done = fold(
    [
      ...events(
        { type: 'audit.scored', iteration: 2, score: 100, findings: [] },
        { type: 'audit.report', reason: 'target', path: '.claude/runs/r1/report.md' },
      ),
      { type: 'run.end' },
    ],
    s,
  );
  assert.equal(statusBarView(done).text, '$(check) Orchestrator: AUDIT 2/10 · 100/100 · $1.20');
  assert.equal(done.run!.audit!.reason, 'target');
});

test('audit status bar: an audit that ended below its target says "target not reached"', () => {
  const s = fold(twoIterations);
  const stuck = fold(
    [
      ...events(
        { type: 'audit.scored', iteration: 2, score: 82, findings: [p2] },
        { type: 'audit.report', reason: 'no-improvement', path: '.claude/runs/r1/report.md' },
      ),
      { type: 'run.end' },
    ],
    s,
  );
  const view = statusBarView(stuck);
  assert.equal(view.text, '$(warning) Orchestrator: target not reached · AUDIT 2/10 · 82/100 · $1.20');
  assert.match(view.tooltip, /below its target of 100\/100: no-improvement/);
  assert.equal(auditMissedTarget(stuck.run!.audit!), true);
  assert.equal(auditMissedTarget(s.run!.audit!), false, 'an audit under way has not missed anything yet');
});

test('audit report: the host hands the markdown in for the report the view names, not for another', () => {
  const s = fold(
    events({ type: 'audit.report', reason: 'target', path: '.claude/runs/r1/report.md' }),
    fold(twoIterations),
  );
  assert.equal(
    fold([{ type: 'audit.report', path: '.claude/runs/OTHER/report.md', markdown: '# x' }], s).run!.audit!.report,
    undefined,
  );
  assert.equal(
    fold([{ type: 'audit.report', path: '.claude/runs/r1/report.md', markdown: '# Audit report' }], s).run!.audit!
      .report,
    '# Audit report',
  );
});

test('audit view after a reload: rebuilt from the journal; a feature run has none', () => {
  const journal = twoIterations.flatMap((a) => (a.type === 'engine' ? [a.event] : []));
  const restored = fold([
    {
      type: 'run.restored',
      info: { runId: 'r1', kind: 'audit', request: 'audit server', status: 'interrupted', started: '' },
      events: journal,
    },
  ]);
  assert.deepEqual(restored.run!.audit!.scores, [75, 82]);
  assert.equal(restored.run!.status, 'interrupted');
  const feature = fold([
    { type: 'run.begin', kind: 'feature', request: 'x' },
    ...events(
      { type: 'run.started', runId: 'r2', kind: 'feature', request: 'x' },
      { type: 'phase.started', phase: 'SPEC' },
    ),
  ]);
  assert.equal(feature.run!.audit, undefined);
});
