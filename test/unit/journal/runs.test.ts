import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineEvent } from '../../../src/core/events';
import { Journal } from '../../../src/core/journal/journal';
import { acquireRunLock } from '../../../src/core/journal/lock';
import { journalPath } from '../../../src/core/journal/runPaths';
import { findLatestResumableRun, listRuns, loadRunState } from '../../../src/core/journal/runs';
import { useTempDirs } from '../../support/tempDirs';

const workspace = useTempDirs('orch-runs-');

function journalRun(ws: string, runId: string, startedAt: string, tail: EngineEvent[] = []): void {
  const journal = Journal.create(ws, runId, { now: () => new Date(startedAt) });
  journal.append({ type: 'run.started', runId, kind: 'feature', request: `request ${runId}` });
  tail.forEach((event) => journal.append(event));
  journal.close();
}

describe('runs', () => {
  it('lists runs newest first with their status', () => {
    const ws = workspace();
    journalRun(ws, 'a-old', '2026-11-01T08:00:00.000Z', [
      { type: 'run.completed', runId: 'a-old', summary: { status: 'completed' } },
    ]);
    journalRun(ws, 'b-crashed', '2026-11-02T08:00:00.000Z', [{ type: 'phase.started', phase: 'IMPLEMENT' }]);
    journalRun(ws, 'c-stopped', '2026-11-03T08:00:00.000Z', [
      { type: 'run.stopped', runId: 'c-stopped', reason: 'validation', report: 'r' },
    ]);
    journalRun(ws, 'd-crashed', '2026-11-04T08:00:00.000Z');
    journalRun(ws, 'e-running', '2026-11-05T08:00:00.000Z');
    const lock = acquireRunLock(ws, 'e-running');
    try {
      assert.deepEqual(
        listRuns(ws).map((r) => [r.runId, r.status, r.started]),
        [
          ['e-running', 'running', '2026-11-05T08:00:00.000Z'],
          ['d-crashed', 'interrupted', '2026-11-04T08:00:00.000Z'],
          ['c-stopped', 'stopped', '2026-11-03T08:00:00.000Z'],
          ['b-crashed', 'interrupted', '2026-11-02T08:00:00.000Z'],
          ['a-old', 'completed', '2026-11-01T08:00:00.000Z'],
        ],
      );
      assert.equal(listRuns(ws)[0]?.request, 'request e-running');
      assert.equal(findLatestResumableRun(ws)?.runId, 'd-crashed', 'the running one is not resumable');
      assert.ok(!listRuns(ws).some((r) => 'problem' in r));
      assert.equal(loadRunState(ws, 'e-running').status, 'running');
    } finally {
      lock.release();
    }
    assert.equal(findLatestResumableRun(ws)?.runId, 'e-running');
  });

  it('lists unreadable or empty journals as unreadable with the reason; resume skips them with a warning', () => {
    const ws = workspace();
    journalRun(ws, 'good', '2026-11-01T08:00:00.000Z');
    mkdirSync(join(ws, '.claude/runs/20261102-080000-beef'), { recursive: true });
    writeFileSync(journalPath(ws, '20261102-080000-beef'), 'garbage\n{"seq":2,"ts":"t","type":"log"}\n');
    Journal.create(ws, 'empty').close();
    mkdirSync(join(ws, '.claude/runs/no-journal'));
    const runs = listRuns(ws);
    const broken = runs.find((r) => r.runId === '20261102-080000-beef');
    assert.equal(broken?.status, 'unreadable');
    assert.equal(broken?.started, '2026-11-02T08:00:00.000Z', 'the time comes from the run id');
    assert.match(broken?.problem ?? '', /events\.jsonl:1: corrupt journal line \(invalid JSON/);
    const empty = runs.find((r) => r.runId === 'empty');
    assert.equal(empty?.status, 'unreadable');
    assert.match(empty?.problem ?? '', /no run\.started event/);
    assert.ok(!runs.some((r) => r.runId === 'no-journal'));
    assert.deepEqual(runs.map((r) => r.runId).sort(), ['20261102-080000-beef', 'empty', 'good']);
    const warnings: string[] = [];
    assert.equal(findLatestResumableRun(ws, (w) => warnings.push(w))?.runId, 'good');
    assert.ok(
      warnings.some((w) => /20261102-080000-beef skipped: .*events\.jsonl:1/.test(w)),
      warnings.join('\n'),
    );
  });

  it('resumes the latest run that did not complete: stopped and cancelled count, rolled back and completed do not', () => {
    const ws = workspace();
    journalRun(ws, 'a-stopped', '2026-11-01T08:00:00.000Z', [
      { type: 'run.stopped', runId: 'a-stopped', reason: 'agent', report: 'r' },
    ]);
    journalRun(ws, 'b-cancelled', '2026-11-02T08:00:00.000Z', [{ type: 'log', level: 'warn', message: 'cancelled' }]);
    journalRun(ws, 'c-rolled', '2026-11-03T08:00:00.000Z', [
      { type: 'run.stopped', runId: 'c-rolled', reason: 'validation', report: 'r' },
      { type: 'run.rolled-back', restored: [], removed: ['x'] },
    ]);
    journalRun(ws, 'd-done', '2026-11-04T08:00:00.000Z', [
      { type: 'run.completed', runId: 'd-done', summary: { status: 'completed' } },
    ]);
    assert.equal(listRuns(ws).find((r) => r.runId === 'c-rolled')?.status, 'rolled-back');
    assert.equal(findLatestResumableRun(ws)?.runId, 'b-cancelled');
  });

  it('returns nothing for a workspace without runs', () => {
    const ws = workspace();
    assert.deepEqual(listRuns(ws), []);
    assert.equal(findLatestResumableRun(ws), undefined);
  });
});
