// Cancel Run while a layer agent waits on the model (its reply held by the test server):
// the run ends cancelled, its journal is resumable, and Resume Run continues it at the first
// unfinished step, without re-running the spec or the layer that had passed.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { PRODUCT_MODULE, PRODUCT_REQUEST } from '../../../bench/support/productFeature';
import { isResumable } from '../../../src/shared/viewState';
import { api } from '../support/api';
import { exists, journal, read } from '../support/files';
import { readyForARun, userApprovingSchemaChanges } from '../support/featureRun';
import { run, start, until, view, within } from '../support/host';
import { statusItem } from '../support/probe';
import { userPerTest } from '../support/userPerTest';

suite('cancel and resume', function () {
  this.timeout(180_000);
  let runId: string;

  suiteSetup(async function () {
    await readyForARun(this);
  });
  const user = userPerTest({ user: userApprovingSchemaChanges });

  test('Cancel Run during IMPLEMENT ends the run cancelled, and resumable', async () => {
    await api.scenario({ name: 'hold', agent: 'backend' });
    const from = await api.count();
    const done = start('orchestrator.newFeature', PRODUCT_REQUEST);
    const pending = await until(() => view().pendingDecision, 60_000, 'the spec decision');
    await vscode.commands.executeCommand('orchestrator.approveSpec', pending.id);

    // The backend agent's first model call is held; the database layer beside it finishes.
    await until(
      async () => (await api.since(from)).some((r) => r.agent === 'backend' && r.held),
      60_000,
      'the held backend request',
    );
    await until(
      () => run().agents.find((a) => a.name === 'database')?.state === 'passed',
      60_000,
      'the database layer to pass',
    );
    assert.equal(run().phase, 'IMPLEMENT');
    assert.equal(run().agents.find((a) => a.name === 'backend')?.state, 'running');
    assert.match(statusItem().item.text, /IMPLEMENT · wave 1\/2/);
    runId = run().runId!;

    await vscode.commands.executeCommand('orchestrator.cancelRun');
    assert.equal(await within(done, 30_000, 'New Feature after Cancel Run'), undefined);

    const r = run();
    assert.equal(r.status, 'cancelled');
    assert.equal(view().busy, false);
    assert.equal(r.agents.find((a) => a.name === 'backend')?.state, 'cancelled');
    assert.equal(r.agents.find((a) => a.name === 'database')?.state, 'passed');
    assert.equal(exists('server/entities/product.js'), false, 'the held backend agent wrote its file');
    assert.ok(exists('db/migrations/003_create_product.sql'));
    assert.match(statusItem().item.text, /cancelled/);
    assert.ok(
      user()
        .messages('info')
        .some((m) => m.message === 'Orchestrator: run cancelled.'),
      JSON.stringify(user().shown),
    );

    const events = journal(runId);
    assert.ok(
      !events.some((e) => e.type === 'run.completed' || e.type === 'run.stopped'),
      'the journal has a terminal event',
    );
    // The list refreshes after the run: it shows the run as one Resume Run offers.
    await until(
      () => view().runs.find((x) => x.runId === runId && isResumable(x.status)),
      10_000,
      'the run listed as resumable',
    );
  });

  test('Resume Run continues at the first unfinished step and completes', async () => {
    assert.ok(runId, 'the cancel test did not run');
    await api.scenario({ name: 'product' });
    const from = await api.count();
    await within(
      Promise.resolve(vscode.commands.executeCommand('orchestrator.resumeRun', runId)),
      150_000,
      'Resume Run',
    );

    const r = run();
    assert.equal(r.runId, runId, 'resumed a different run');
    assert.equal(r.status, 'completed', `run ended ${r.status}: ${r.error ?? ''} ${r.stop?.report ?? ''}`);
    const agents = [...new Set((await api.since(from)).map((q) => q.agent))].sort();
    assert.deepEqual(agents, ['backend', 'frontend', 'review'], 'the spec or the passed database layer ran again');
    assert.equal(read('server/entities/product.js'), PRODUCT_MODULE);
    assert.ok(exists('web/src/products.js'));
    const events = journal(runId);
    assert.equal(events.filter((e) => e.type === 'run.started').length, 2);
    assert.equal(events.at(-1)?.type, 'run.completed');
    assert.equal(
      events.filter((e) => e.type === 'agent.started' && e.agent === 'database').length,
      1,
      'database ran twice',
    );
    assert.ok(exists(r.specPath ?? 'none'), `spec not at ${r.specPath}`);
    assert.match(r.specPath ?? '', /^spec\/completed\//);
    assert.match(statusItem().item.text, /done/);
  });
});
