// The change-set as every host shows it (issue 73): read from the set's record, its members' run
// journals (live: a member's run as it goes) and the set's last end; one status per member, producers
// first, the set's combined heads and its one budget with each member's spend.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readChangeSets, recordChangeSetEnd, runningSet } from '../../../src/core/changeSet/setView';
import type { ChangeSetSummary } from '../../../src/core/changeSet/changeSetRun';
import type { EngineEvent } from '../../../src/core/events';
import { Journal } from '../../../src/core/journal/journal';
import { acquireRunLock } from '../../../src/core/journal/lock';
import { loadWorkspace } from '../../../src/core/project/changeSet';
import { makeTrio } from '../../support/changesetExample';
import { trioWithSavedSet } from '../../support/changesetRecord';

const SET = '2026-11-28-value-two';
const usage = { input: 10, output: 5, cacheRead: 0, cacheWrite: 0 };

/** A member's run of its part, as its journal holds it: started at `at`, spending `costUsd`, then `end`. */
function journalRun(repo: string, runId: string, at: string, costUsd: number, end: EngineEvent[]): void {
  const journal = Journal.create(repo, runId, { now: () => new Date(at) });
  journal.append({ type: 'run.started', runId, kind: 'feature', request: 'value two' });
  journal.append({ type: 'llm.usage', agent: 'spec', model: 'm', usage, costUsd, ms: 1 });
  end.forEach((event) => journal.append(event));
  journal.close();
}

test("a set's view: one status per member producers first, live from their journals, then its end's combined heads", async () => {
  assert.deepEqual(await readChangeSets(await loadWorkspace(makeTrio('v2', [], false).dir)), [], 'no set yet');
  const dir = trioWithSavedSet(SET, 'value two');
  const workspace = await loadWorkspace(dir);
  let [view] = await readChangeSets(workspace);
  assert.equal(view!.status, 'spec-saved');
  assert.deepEqual(
    view!.members.map((m) => [m.name, m.status, m.runIds, m.uses.map((u) => `${u.producer} via ${u.via}`)]),
    [
      ['a', 'spec-saved', ['spec-a'], []],
      ['b', 'spec-saved', ['spec-b'], ['a via command']],
      ['c', 'spec-saved', ['spec-c'], ['b via command']],
    ],
  );
  assert.equal(view!.specPath, `${dir}/.claude/changesets/${SET}/spec.md`);
  assert.deepEqual(view!.budget, { limitUsd: 5, spentUsd: 0.03 });

  // Approved: a's part implemented, b's run at work (its lock held): the set is running, b's status live.
  journalRun(`${dir}/a`, 'i-a', '2026-11-28T11:00:00.000Z', 0.5, [
    { type: 'spec.approved', specId: `${SET}-a` },
    { type: 'run.completed', runId: 'i-a', summary: { status: 'completed' } },
  ]);
  journalRun(`${dir}/b`, 'i-b', '2026-11-28T11:05:00.000Z', 0.25, [{ type: 'spec.approved', specId: `${SET}-b` }]);
  const lock = acquireRunLock(`${dir}/b`, 'i-b');
  try {
    [view] = await readChangeSets(workspace);
  } finally {
    lock.release();
  }
  assert.equal(view!.status, 'running');
  assert.deepEqual(
    view!.members.map((m) => [m.name, m.status, m.costUsd]),
    [
      ['a', 'completed', 0.51],
      ['b', 'running', 0.26],
      ['c', 'spec-saved', 0.01],
    ],
  );
  assert.equal(view!.budget.spentUsd, 0.78);

  // Its end: b's checks on the combined heads failed; the set stopped there, c not run.
  const summary = {
    setId: SET,
    file: workspace.file,
    specPath: view!.specPath,
    branch: view!.branch,
    status: 'stopped',
    stoppedAt: 'b',
    costUsd: 0.78,
    budgetUsd: 2,
    members: [
      { name: 'a', path: `${dir}/a`, status: 'completed', runIds: [], costUsd: 0.51, filesChanged: [], linked: [] },
      {
        name: 'b',
        path: `${dir}/b`,
        status: 'completed',
        runIds: [],
        costUsd: 0.26,
        filesChanged: [],
        linked: [],
        reason: 'on the combined heads: b: node scripts/check.js failed',
      },
      { name: 'c', path: `${dir}/c`, status: 'not-run', runIds: [], costUsd: 0.01, filesChanged: [], linked: [] },
    ],
    combined: {
      file: workspace.file,
      passed: false,
      members: [
        { name: 'a', status: 'passed', linked: [], commands: [] },
        { name: 'b', status: 'failed', linked: [], commands: [] },
      ],
    },
  } as unknown as ChangeSetSummary;
  assert.equal(recordChangeSetEnd(summary), summary);
  [view] = await readChangeSets(workspace);
  assert.equal(view!.status, 'stopped');
  assert.equal(view!.stoppedAt, 'b');
  assert.equal(view!.combined, 'failed');
  assert.deepEqual(
    view!.members.map((m) => [m.name, m.combined, m.reason]),
    [
      ['a', 'passed', undefined],
      ['b', 'failed', 'on the combined heads: b: node scripts/check.js failed'],
      ['c', undefined, undefined],
    ],
  );
  assert.deepEqual(view!.budget, { limitUsd: 2, spentUsd: 0.78 }, "the cap the set ran with (a host's override)");

  // Approved again later: a newer run makes that end stale, the journals say more.
  journalRun(`${dir}/c`, 'i-c', '2099-01-01T00:00:00.000Z', 0, [
    { type: 'spec.approved', specId: `${SET}-c` },
    { type: 'run.completed', runId: 'i-c', summary: { status: 'completed' } },
  ]);
  [view] = await readChangeSets(workspace);
  assert.equal(view!.combined, undefined);
  assert.equal(view!.members[2]!.status, 'completed');
});

test("between two members' runs the set is running while the process running it lives; then its end", async () => {
  const dir = trioWithSavedSet(SET, 'value two');
  const workspace = await loadWorkspace(dir);
  journalRun(`${dir}/a`, 'i-a', '2026-11-28T11:00:00.000Z', 0.5, [
    { type: 'spec.approved', specId: `${SET}-a` },
    { type: 'run.completed', runId: 'i-a', summary: { status: 'completed' } },
  ]);
  assert.equal((await readChangeSets(workspace))[0]!.status, 'stopped', 'no process runs it: a completed, b not');
  const end = { setId: SET, file: workspace.file, status: 'completed', members: [], budgetUsd: 5 };
  const summary = await runningSet(`${dir}/b`, SET, async () => {
    assert.equal((await readChangeSets(workspace))[0]!.status, 'running', "a's run done, b's not started");
    return end as unknown as ChangeSetSummary;
  });
  assert.equal(summary, end as unknown as ChangeSetSummary);
  assert.equal((await readChangeSets(workspace))[0]!.status, 'completed', 'its end, once it returned');
});
