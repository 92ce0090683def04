// A window reload while `serve` (another process) runs a run from a GitHub issue (issue 39): the
// sidebar shows it as run elsewhere, followed from its journal, with no Resume; once its owner is
// gone without an end in the journal, it is interrupted and Resume is offered. The owner is told by
// the run's lock (its holder's pid alive), as listRuns reads it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { EngineEvent } from '../../../src/core/events';
import { Journal, readEvents } from '../../../src/core/journal/journal';
import { lockPath } from '../../../src/core/journal/runPaths';
import { listRuns } from '../../../src/core/journal/runs';
import { emptyViewState, isResumable, viewStateSchema } from '../../../src/shared/viewState';
import { reduce } from '../../../src/extension/view/reducer';
import { statusBarView } from '../../../src/extension/view/selectors';

const RUN = '20261124-120000-a1b2';
const ISSUE = 'https://github.example/acme/shop/issues/7';

test('sidebar after a reload: a run whose lock another live process holds is shown running elsewhere (no Resume), follows its journal, and is interrupted with Resume once that process is gone', async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'orch-elsewhere-'));
  // `serve` stands here as another live process holding the run's lock.
  const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' });
  try {
    const journal = Journal.create(workspace, RUN);
    const append = (...events: EngineEvent[]) => events.forEach((event) => journal.append(event));
    append(
      { type: 'github.issue.linked', url: ISSUE, by: 'alice' },
      { type: 'run.started', runId: RUN, kind: 'feature', request: 'Add an Invoice entity' },
      { type: 'phase.started', phase: 'IMPLEMENT' },
      { type: 'agent.started', agent: 'backend', attempt: 1, mode: 'implement' },
    );
    mkdirSync(dirname(lockPath(workspace)), { recursive: true });
    writeFileSync(
      lockPath(workspace),
      `${JSON.stringify({ pid: owner.pid, runId: RUN, started: new Date().toISOString() })}\n`,
    );
    const read = () => ({
      info: listRuns(workspace).find((r) => r.runId === RUN)!,
      events: readEvents(workspace, RUN) as EngineEvent[],
    });

    const restored = reduce(emptyViewState(), { type: 'run.restored', ...read() });
    const run = restored.run!;
    assert.deepEqual(
      [run.status, run.elsewhere, isResumable(run.status)],
      ['running', true, false],
      'running elsewhere: no Resume',
    );
    assert.equal(run.agents.find((a) => a.name === 'backend')?.state, 'running', 'its layer still at work there');
    assert.match(statusBarView(restored).text, /running in another process · IMPLEMENT/);
    assert.equal(viewStateSchema.safeParse(restored).success, true);

    // Its journal grows: followed.
    append({ type: 'agent.completed', agent: 'backend', attempt: 1, outcome: 'submitted', summary: 'Invoice entity' });
    const followed = reduce(restored, { type: 'run.followed', ...read() });
    assert.equal(followed.run!.agents.find((a) => a.name === 'backend')?.state, 'passed', 'its agent finished there');
    assert.equal(followed.run!.elsewhere, true);
    // Another run's news does not replace it.
    assert.equal(
      reduce(followed, { type: 'run.followed', info: { ...read().info, runId: 'other' }, events: [] }),
      followed,
    );

    // The owner is killed (kill -9 of serve): no end in the journal, nobody holds it: interrupted, Resume offered.
    owner.kill('SIGKILL');
    await new Promise((resolve) => owner.once('exit', resolve));
    const orphaned = reduce(followed, { type: 'run.followed', ...read() });
    assert.deepEqual(
      [orphaned.run!.status, orphaned.run!.elsewhere, isResumable(orphaned.run!.status)],
      ['interrupted', undefined, true],
    );
    journal.close();
  } finally {
    owner.kill('SIGKILL');
    rmSync(workspace, { recursive: true, force: true });
  }
});
