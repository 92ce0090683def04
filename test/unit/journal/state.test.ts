import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent } from '../../../src/core/events';
import { rebuildState } from '../../../src/core/journal/state';
import {
  costByAgent,
  donePhases,
  doneLayers,
  filesChanged,
  isFinished,
  isLayerDone,
  isPhaseDone,
  retriesByLayer,
} from '../../../src/core/journal/stateQueries';

const usage = (input: number, output: number, cacheRead = 0, cacheWrite = 0) => ({
  input,
  output,
  cacheRead,
  cacheWrite,
});

/** A feature run that got through review fixes and then crashed while the frontend agent worked. */
const crashedInWave2: EngineEvent[] = [
  { type: 'run.started', runId: 'r1', kind: 'feature', request: 'Add invoices' },
  { type: 'phase.started', phase: 'SYNC' },
  { type: 'phase.completed', phase: 'SYNC', ms: 120 },
  { type: 'phase.started', phase: 'UNDERSTAND' },
  { type: 'phase.completed', phase: 'UNDERSTAND', ms: 30 },
  { type: 'phase.started', phase: 'SPEC' },
  { type: 'agent.started', agent: 'spec', attempt: 1, mode: 'spec' },
  { type: 'llm.usage', agent: 'spec', model: 'm', usage: usage(1000, 500, 200, 100), costUsd: 0.02, ms: 900 },
  { type: 'agent.completed', agent: 'spec', attempt: 1, outcome: 'submitted' },
  { type: 'spec.saved', specId: '2026-11-21-invoices', path: 'spec/active/2026-11-21-invoices/spec.md' },
  { type: 'spec.approved', specId: '2026-11-21-invoices' },
  { type: 'phase.completed', phase: 'SPEC', ms: 4000 },
  { type: 'checkpoint.created', ref: 'refs/orchestrator/r1', commit: 'abc123' },
  { type: 'phase.started', phase: 'IMPLEMENT' },
  { type: 'wave.started', wave: 1, of: 2, layers: ['database', 'backend'] },
  { type: 'agent.started', agent: 'database', attempt: 1, mode: 'implement' },
  { type: 'agent.started', agent: 'backend', attempt: 1, mode: 'implement' },
  { type: 'file.written', agent: 'database', path: 'db/migrations/001_invoices.sql', created: true, bytes: 300 },
  { type: 'file.written', agent: 'backend', path: 'server/invoices.ts', created: true, bytes: 900 },
  { type: 'file.written', agent: 'backend', path: 'server/routes.ts', created: false, bytes: 1200 },
  { type: 'file.deleted', agent: 'backend', path: 'server/legacy.ts', lines: 40 },
  { type: 'llm.usage', agent: 'database', model: 'm', usage: usage(2000, 300), costUsd: 0.01, ms: 700 },
  { type: 'llm.usage', agent: 'backend', model: 'm', usage: usage(3000, 800), costUsd: 0.03, ms: 1500 },
  { type: 'agent.completed', agent: 'database', attempt: 1, outcome: 'submitted' },
  { type: 'agent.completed', agent: 'backend', attempt: 1, outcome: 'submitted' },
  { type: 'validation.started', layer: 'database', command: 'npm run migrate:check' },
  { type: 'validation.passed', layer: 'database' },
  { type: 'validation.started', layer: 'backend', command: 'npm run build' },
  {
    type: 'validation.failed',
    layer: 'backend',
    command: 'npm run build',
    output: 'TS2304: Cannot find name',
    exitCode: 2,
  },
  { type: 'retry', layer: 'backend', attempt: 1, max: 2 },
  { type: 'agent.started', agent: 'backend', attempt: 2, mode: 'retry' },
  { type: 'file.written', agent: 'backend', path: 'server/invoices.ts', created: false, bytes: 950 },
  { type: 'llm.usage', agent: 'backend', model: 'm', usage: usage(1000, 200), costUsd: 0.01, ms: 600 },
  { type: 'agent.completed', agent: 'backend', attempt: 2, outcome: 'submitted' },
  { type: 'validation.started', layer: 'backend', command: 'npm run build' },
  { type: 'validation.passed', layer: 'backend' },
  { type: 'wave.started', wave: 2, of: 2, layers: ['frontend'] },
  { type: 'agent.started', agent: 'frontend', attempt: 1, mode: 'implement' },
  { type: 'file.written', agent: 'frontend', path: 'web/tmp.ts', created: true, bytes: 10 },
  { type: 'file.deleted', agent: 'frontend', path: 'web/tmp.ts', lines: 1 },
];

const withSeq = (events: EngineEvent[]) =>
  events.map((e, i) => ({ ...e, seq: i + 1, ts: `2026-11-21T10:00:${String(i).padStart(2, '0')}.000Z` }));

describe('rebuildState', () => {
  it('answers the resume questions for a run that crashed mid-wave', () => {
    const state = rebuildState(withSeq(crashedInWave2));
    assert.equal(state.status, 'interrupted');
    assert.equal(isFinished(state), false);
    assert.equal(state.runId, 'r1');
    assert.equal(state.kind, 'feature');
    assert.equal(state.request, 'Add invoices');
    assert.equal(state.specId, '2026-11-21-invoices');
    assert.equal(state.specPath, 'spec/active/2026-11-21-invoices/spec.md');
    assert.equal(state.specApproved, true);
    assert.equal(state.started, '2026-11-21T10:00:00.000Z');
    assert.equal(state.lastSeq, crashedInWave2.length);
    assert.deepEqual(state.checkpoint, { ref: 'refs/orchestrator/r1', commit: 'abc123' });

    assert.deepEqual(donePhases(state), ['SYNC', 'UNDERSTAND', 'SPEC']);
    assert.equal(isPhaseDone(state, 'IMPLEMENT'), false);
    assert.equal(state.currentPhase, 'IMPLEMENT');
    assert.deepEqual(state.phases, [
      { name: 'SYNC', ms: 120 },
      { name: 'UNDERSTAND', ms: 30 },
      { name: 'SPEC', ms: 4000 },
    ]);

    assert.deepEqual(doneLayers(state), ['backend', 'database']);
    assert.equal(isLayerDone(state, 'frontend'), false);
    assert.equal(state.layers.frontend?.agentRunning, true);
    assert.equal(state.layers.backend?.attempts, 2);
    assert.deepEqual(retriesByLayer(state), { database: 0, backend: 1, frontend: 0 });
    assert.deepEqual(state.layers.backend?.lastValidationError, {
      command: 'npm run build',
      output: 'TS2304: Cannot find name',
      exitCode: 2,
    });
    assert.equal(state.layers.spec, undefined, 'the spec agent is not a layer');

    assert.deepEqual(state.usage, usage(7000, 1800, 200, 100));
    assert.ok(Math.abs(state.costUsd - 0.07) < 1e-9);
    const costs = costByAgent(state);
    assert.deepEqual(Object.keys(costs).sort(), ['backend', 'database', 'spec']);
    assert.ok(Math.abs(costs.backend! - 0.04) < 1e-9);
    assert.deepEqual(state.byAgent.spec?.usage, usage(1000, 500, 200, 100));

    assert.deepEqual(state.files, {
      written: ['server/routes.ts'],
      created: ['db/migrations/001_invoices.sql', 'server/invoices.ts', 'web/tmp.ts'],
      deleted: ['server/legacy.ts'],
    });
    assert.deepEqual(filesChanged(state), [
      'db/migrations/001_invoices.sql',
      'server/invoices.ts',
      'server/legacy.ts',
      'server/routes.ts',
      'web/tmp.ts',
    ]);
  });

  it('follows a resumed run through review fixes to completion', () => {
    const resumed: EngineEvent[] = [
      ...crashedInWave2,
      { type: 'run.started', runId: 'r1', kind: 'feature', request: 'Add invoices' },
      { type: 'agent.started', agent: 'frontend', attempt: 1, mode: 'implement' },
      { type: 'agent.completed', agent: 'frontend', attempt: 1, outcome: 'submitted' },
      { type: 'validation.passed', layer: 'frontend' },
      { type: 'phase.completed', phase: 'IMPLEMENT', ms: 9000 },
      { type: 'phase.started', phase: 'REVIEW' },
      {
        type: 'review.verdict',
        round: 1,
        verdict: 'rejected',
        issues: [{ file: 'server/invoices.ts', severity: 'major', problem: 'no auth', fix: 'add guard' }],
      },
      { type: 'agent.started', agent: 'backend', attempt: 3, mode: 'review-fix' },
    ];
    const midFix = rebuildState(resumed);
    assert.equal(midFix.status, 'interrupted');
    assert.deepEqual(doneLayers(midFix), ['database', 'frontend'], 'a layer being fixed is not done');
    assert.equal(midFix.review.lastVerdict, 'rejected');
    assert.equal(midFix.review.lastIssues.length, 1);
    assert.equal(midFix.currentPhase, 'REVIEW');

    const completed = rebuildState([
      ...resumed,
      { type: 'agent.completed', agent: 'backend', attempt: 3, outcome: 'submitted' },
      { type: 'validation.started', layer: 'backend', command: 'npm run build' },
      { type: 'validation.passed', layer: 'backend' },
      { type: 'review.verdict', round: 2, verdict: 'approved', issues: [] },
      { type: 'phase.completed', phase: 'REVIEW', ms: 3000 },
      { type: 'run.completed', runId: 'r1', summary: { status: 'completed' } },
    ]);
    assert.equal(completed.status, 'completed');
    assert.equal(isFinished(completed), true);
    assert.deepEqual(doneLayers(completed), ['backend', 'database', 'frontend']);
    assert.deepEqual(completed.review, { rounds: 2, lastVerdict: 'approved', lastIssues: [] });
    assert.equal(completed.currentPhase, undefined);
    assert.equal(completed.started, undefined, 'bare events carry no ts');
  });

  it('does not count a layer done when its agent failed or validation has not run yet', () => {
    const state = rebuildState([
      { type: 'agent.started', agent: 'backend', attempt: 1, mode: 'implement' },
      { type: 'agent.completed', agent: 'backend', attempt: 1, outcome: 'max_turns' },
      { type: 'validation.passed', layer: 'backend' },
      { type: 'agent.started', agent: 'frontend', attempt: 1, mode: 'implement' },
      { type: 'agent.completed', agent: 'frontend', attempt: 1, outcome: 'submitted' },
    ]);
    assert.deepEqual(doneLayers(state), []);
    assert.equal(state.layers.backend?.lastOutcome, 'max_turns');
    assert.equal(state.layers.frontend?.implemented, true);
    assert.equal(state.layers.frontend?.validated, false);
  });

  it('treats a phase started again as not done until it completes again', () => {
    const state = rebuildState([
      { type: 'phase.started', phase: 'VALIDATE' },
      { type: 'phase.completed', phase: 'VALIDATE', ms: 10 },
      { type: 'phase.started', phase: 'REVIEW' },
      { type: 'phase.completed', phase: 'REVIEW', ms: 10 },
      { type: 'phase.started', phase: 'VALIDATE' },
    ]);
    assert.equal(isPhaseDone(state, 'VALIDATE'), false);
    assert.equal(isPhaseDone(state, 'REVIEW'), true);
    assert.equal(state.currentPhase, 'VALIDATE');
    assert.equal(state.phases.length, 2);
  });

  it('classifies files against the checkpoint whatever order the run touched them in', () => {
    const state = rebuildState([
      { type: 'file.written', agent: 'a', path: 'created-then-deleted', created: true, bytes: 1 },
      { type: 'file.deleted', agent: 'a', path: 'created-then-deleted', lines: 1 },
      { type: 'file.written', agent: 'a', path: 'created-then-edited', created: true, bytes: 1 },
      { type: 'file.written', agent: 'a', path: 'created-then-edited', created: false, bytes: 2 },
      { type: 'file.deleted', agent: 'a', path: 'deleted-then-recreated', lines: 3 },
      { type: 'file.written', agent: 'a', path: 'deleted-then-recreated', created: true, bytes: 1 },
      { type: 'file.written', agent: 'a', path: 'edited-then-deleted', created: false, bytes: 1 },
      { type: 'file.deleted', agent: 'a', path: 'edited-then-deleted', lines: 3 },
    ]);
    assert.deepEqual(state.files, {
      written: ['deleted-then-recreated'],
      created: ['created-then-deleted', 'created-then-edited'],
      deleted: ['edited-then-deleted'],
    });
  });

  it('maps terminal events to the run status', () => {
    const base: EngineEvent = { type: 'run.started', runId: 'r', kind: 'bugfix', request: 'crash on save' };
    const budget = rebuildState([
      base,
      { type: 'budget.exceeded', spentUsd: 5.01, limitUsd: 5 },
      { type: 'run.stopped', runId: 'r', reason: 'budget', report: '## Budget exhausted' },
    ]);
    assert.equal(budget.status, 'stopped');
    assert.deepEqual(budget.budgetExceeded, { spentUsd: 5.01, limitUsd: 5 });
    assert.equal(budget.report, '## Budget exhausted');
    assert.equal(
      rebuildState([base, { type: 'run.stopped', runId: 'r', reason: 'cancelled', report: '' }]).status,
      'cancelled',
    );
    assert.equal(
      rebuildState([base, { type: 'run.completed', runId: 'r', summary: { status: 'spec-saved' } }]).status,
      'spec-saved',
    );
    assert.equal(
      rebuildState([base, { type: 'run.completed', runId: 'r', summary: { status: 'weird' } }]).status,
      'completed',
    );
    assert.equal(rebuildState([base, { type: 'run.completed', runId: 'r', summary: null }]).status, 'completed');
    assert.equal(rebuildState([]).status, 'interrupted');
  });

  it('a gate question parked is the run saved at its gate, even when the process died before journaling its end', () => {
    const base: EngineEvent = { type: 'run.started', runId: 'r', kind: 'feature', request: 'x' };
    const asked = (id: string, about: Record<string, unknown>, kind = 'gate'): EngineEvent =>
      ({ type: 'question.asked', id, kind, about, words: '?', answeredBy: 'a person' }) as EngineEvent;
    const parked = (id: string): EngineEvent => ({ type: 'question.parked', id, why: 'on the issue' });
    const spec = rebuildState([base, asked('gate-a-1', { specId: 's' }), parked('gate-a-1')]);
    assert.deepEqual([spec.status, spec.waitingGate], ['spec-saved', undefined]);
    const phase = rebuildState([base, asked('gate-b-1', { specId: 's', phase: 'UAT' }), parked('gate-b-1')]);
    assert.deepEqual([phase.status, phase.waitingGate], ['spec-saved', 'UAT']);
    // A confirmation parked sets the run aside, not at a gate: it is resumed as any interrupted run.
    const confirmation = asked(
      'confirmation-c-1',
      { confirmation: 'delete', agent: 'backend', paths: [] },
      'confirmation',
    );
    assert.equal(rebuildState([base, confirmation, parked('confirmation-c-1')]).status, 'interrupted');
    // Resumed with its answer: at work again.
    assert.equal(
      rebuildState([base, asked('gate-a-1', { specId: 's' }), parked('gate-a-1'), base]).status,
      'interrupted',
    );
  });
});
