import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineEvent } from '../../../src/core/events';
import { Journal } from '../../../src/core/journal/journal';
import { acquireRunLock } from '../../../src/core/journal/lock';
import { journalPath } from '../../../src/core/journal/runPaths';
import { findLatestUnfinishedRun, listRuns, loadRunState } from '../../../src/core/journal/runs';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'orch-runs-'));
  dirs.push(dir);
  return dir;
}

function journalRun(ws: string, runId: string, startedAt: string, tail: EngineEvent[] = []): void {
  const journal = Journal.create(ws, runId, { now: () => new Date(startedAt) });
  journal.append({ type: 'run.started', runId, kind: 'feature', request: `request ${runId}` });
  tail.forEach((event) => journal.append(event));
  journal.close();
}

describe('runs', () => {
  it('lists runs newest first with their status', () => {
    const ws = workspace();
    journalRun(ws, 'a-old', '2026-11-01T08:00:00.000Z', [{ type: 'run.completed', runId: 'a-old', summary: { status: 'completed' } }]);
    journalRun(ws, 'b-crashed', '2026-11-02T08:00:00.000Z', [{ type: 'phase.started', phase: 'IMPLEMENT' }]);
    journalRun(ws, 'c-stopped', '2026-11-03T08:00:00.000Z', [{ type: 'run.stopped', runId: 'c-stopped', reason: 'validation', report: 'r' }]);
    journalRun(ws, 'd-crashed', '2026-11-04T08:00:00.000Z');
    journalRun(ws, 'e-running', '2026-11-05T08:00:00.000Z');
    const lock = acquireRunLock(ws, 'e-running');
    try {
      assert.deepEqual(listRuns(ws).map((r) => [r.runId, r.status, r.started]), [
        ['e-running', 'running', '2026-11-05T08:00:00.000Z'],
        ['d-crashed', 'interrupted', '2026-11-04T08:00:00.000Z'],
        ['c-stopped', 'stopped', '2026-11-03T08:00:00.000Z'],
        ['b-crashed', 'interrupted', '2026-11-02T08:00:00.000Z'],
        ['a-old', 'completed', '2026-11-01T08:00:00.000Z'],
      ]);
      assert.equal(listRuns(ws)[0]?.request, 'request e-running');
      assert.equal(findLatestUnfinishedRun(ws)?.runId, 'd-crashed', 'the running one is not resumable');
      assert.equal(loadRunState(ws, 'e-running').status, 'running');
    } finally {
      lock.release();
    }
    assert.equal(findLatestUnfinishedRun(ws)?.runId, 'e-running');
  });

  it('skips unreadable or empty journals with a warning instead of failing the list', () => {
    const ws = workspace();
    journalRun(ws, 'good', '2026-11-01T08:00:00.000Z');
    mkdirSync(join(ws, '.claude/runs/broken'), { recursive: true });
    writeFileSync(journalPath(ws, 'broken'), 'garbage\n{"seq":2,"ts":"t","type":"log"}\n');
    Journal.create(ws, 'empty').close();
    mkdirSync(join(ws, '.claude/runs/no-journal'));
    const warnings: string[] = [];
    assert.deepEqual(listRuns(ws, (w) => warnings.push(w)).map((r) => r.runId), ['good']);
    assert.equal(warnings.length, 2);
    assert.ok(warnings.some((w) => /broken.*events\.jsonl:1/.test(w)), warnings.join('\n'));
    assert.ok(warnings.some((w) => /empty has no run\.started/.test(w)), warnings.join('\n'));
  });

  it('returns nothing for a workspace without runs', () => {
    const ws = workspace();
    assert.deepEqual(listRuns(ws), []);
    assert.equal(findLatestUnfinishedRun(ws), undefined);
  });
});
