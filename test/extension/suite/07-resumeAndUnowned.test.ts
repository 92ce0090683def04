// Issue 7 in the editor: Resume Run without an id continues the run a bare `orchestrator
// resume` would (here one that stopped on a model error), and approving a spec a human edited
// to hold work no layer owns asks first, in a modal.
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { PRODUCT_REQUEST } from '../../../bench/support/productFeature';
import { api } from '../support/api';
import { journal, wsPath } from '../support/files';
import { readyForARun, userApprovingSchemaChanges } from '../support/featureRun';
import { run, start, until, view, within } from '../support/host';
import { userPerTest } from '../support/userPerTest';

suite('resume what stopped, and unowned spec work', function () {
  this.timeout(180_000);

  suiteSetup(async function () {
    await readyForARun(this);
  });
  const user = userPerTest({ user: userApprovingSchemaChanges });

  test('Resume Run without an id continues the run that stopped on a model error; the passed database layer is not asked again', async () => {
    await api.scenario({ name: 'fail', agent: 'backend' });
    const done = start('orchestrator.newFeature', PRODUCT_REQUEST);
    const pending = await until(() => view().pendingDecision, 60_000, 'the spec decision');
    await vscode.commands.executeCommand('orchestrator.approveSpec', pending.id);
    await within(done, 90_000, 'New Feature until the model error stops it');
    assert.equal(run().status, 'stopped', JSON.stringify(run().stop ?? run().error));
    assert.match(run().stop?.report ?? '', /orchestrator resume/);
    const runId = run().runId!;

    await api.scenario({ name: 'product' });
    const from = await api.count();
    user().onPick = () => assert.fail('Resume Run asked which run: a bare resume has one answer');
    await within(Promise.resolve(vscode.commands.executeCommand('orchestrator.resumeRun')), 150_000, 'Resume Run');
    assert.equal(user().picks.length, 0);
    assert.equal(run().runId, runId, 'resumed another run');
    assert.equal(run().status, 'completed', `${run().error ?? ''} ${run().stop?.report ?? ''}`);
    // (Whether REVIEW runs depends on what earlier suites left in the registry: not asserted.)
    const agents = new Set((await api.since(from)).map((r) => r.agent));
    assert.ok(agents.has('backend') && agents.has('frontend'), [...agents].join(', '));
    assert.ok(
      !agents.has('spec') && !agents.has('database'),
      `the spec or the passed database layer was asked again: ${[...agents].join(', ')}`,
    );
    assert.equal(journal(runId).filter((e) => e.type === 'agent.started' && e.agent === 'database').length, 1);
  });

  test('a saved spec with a task no layer owns: listed with its line, and Approve Spec asks first ("No" runs nothing)', async () => {
    const id = '2026-01-15-supplier-entity';
    const file = wsPath(`spec/active/${id}/spec.md`);
    const text = [
      '---',
      `id: ${id}`,
      'title: Supplier entity',
      'kind: feature',
      'status: saved',
      'entity: Supplier',
      'pattern: simple',
      'layers: [database, backend]',
      "created: '2026-01-15T10:00:00.000Z'",
      'approved: null',
      '---',
      '## Spec: Supplier entity',
      '',
      '### Tasks',
      '1. [ ] Add `server/entities/supplier.js`',
      '2. [ ] Create the supplier table',
      '',
    ].join('\n');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    try {
      const line = text.split('\n').indexOf('2. [ ] Create the supplier table') + 1;
      const listed = await until(
        () => view().specs.find((s) => s.id === id && s.unowned?.length),
        20_000,
        'the spec listed with its unowned work',
      );
      assert.deepEqual(listed.unowned, [{ kind: 'task', line, text: 'Create the supplier table' }]);

      const from = await api.count();
      user().onMessage = (m) => (m.modal && /no layer owns/.test(m.message) ? 'No' : undefined);
      await within(
        Promise.resolve(vscode.commands.executeCommand('orchestrator.approveSpec', id)),
        30_000,
        'Approve Spec',
      );
      const modal = user().shown.find((m) => m.modal && /no layer owns/.test(m.message));
      assert.ok(modal, JSON.stringify(user().shown));
      assert.match(modal.detail ?? '', new RegExp(`line ${line}: task "Create the supplier table"`));
      assert.ok(
        user()
          .messages('info')
          .some((m) => /was not approved/.test(m.message)),
        JSON.stringify(user().shown),
      );
      assert.equal((await api.since(from)).length, 0, 'a model was asked');
      assert.equal(view().busy, false);
    } finally {
      rmSync(dirname(file), { recursive: true, force: true });
    }
  });
});
