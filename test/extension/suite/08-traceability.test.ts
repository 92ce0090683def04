// Issue 10 in the editor: the matrix of a run in the view state (what the sidebar's table
// shows), exported as .xlsx by the command; a Kiro spec folder brought in through the command
// the explorer's context menu runs, shown selected with its matrix and its unowned task.
import * as assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { PRODUCT_REQUEST } from '../../../bench/support/productFeature';
import { api } from '../support/api';
import { wsPath } from '../support/files';
import { readyForARun, userApprovingSchemaChanges } from '../support/featureRun';
import { run, start, until, view, within } from '../support/host';
import { userPerTest } from '../support/userPerTest';

const FIXTURES = resolve(__dirname, '../../../../test/fixtures/specs');

suite('traceability', function () {
  this.timeout(180_000);

  suiteSetup(async function () {
    await readyForARun(this);
  });
  const user = userPerTest({ user: userApprovingSchemaChanges });

  test("a feature run keeps the sidebar's matrix up to date; Export Traceability Matrix writes a workbook", async () => {
    await api.scenario({ name: 'product' });
    const done = start('orchestrator.newFeature', PRODUCT_REQUEST);
    const pending = await until(() => view().pendingDecision, 60_000, 'the spec decision');
    await vscode.commands.executeCommand('orchestrator.approveSpec', pending.id);
    // Right after approval (SPEC done), nothing is implemented yet: every requirement is a gap.
    const early = await until(() => run().trace, 30_000, 'the matrix after SPEC');
    assert.deepEqual(
      early.rows.map((r) => r.criterion),
      ['REQ-1.1', 'REQ-1.2', 'REQ-2.1'],
    );
    await within(done, 150_000, 'the approved run');
    assert.equal(run().status, 'completed', `${run().error ?? ''} ${run().stop?.report ?? ''}`);
    const trace = run().trace!;
    assert.deepEqual(trace.requirementsWithoutFile, []);
    assert.ok(trace.rows.find((r) => r.criterion === 'REQ-2.1')!.files.includes('web/src/products.js'));
    // The shop names no proof command (docs/proof.md): every criterion's proof reaches the sidebar as unproven.
    assert.deepEqual(
      trace.rows.map((r) => [r.criterion, r.proof?.status, r.proof?.green, r.proof?.tests]),
      [
        ['REQ-1.1', 'unproven', 'not-run', 0],
        ['REQ-1.2', 'unproven', 'not-run', 0],
        ['REQ-2.1', 'unproven', 'not-run', 0],
      ],
    );

    const file = wsPath(`out/trace-${pending.id}.xlsx`);
    await vscode.commands.executeCommand('orchestrator.exportTrace', pending.id, file);
    assert.equal(readFileSync(file).subarray(0, 2).toString('latin1'), 'PK', 'a zip container (.xlsx)');
    assert.ok(
      user()
        .messages('info')
        .some((m) => /3 criteria written to out\/trace-/.test(m.message)),
      JSON.stringify(user().shown),
    );
    rmSync(wsPath('out'), { recursive: true, force: true });
  });

  test('Implement Kiro / Spec Kit Spec on a Kiro folder: the spec is saved, selected, with its matrix and its unowned task; nothing runs until approved', async () => {
    const folder = wsPath('.kiro/specs/product-catalog');
    cpSync(join(FIXTURES, 'kiro/product-catalog'), folder, { recursive: true });
    const from = await api.count();
    let specId: string | undefined;
    try {
      user().onMessage = (m) =>
        /^Orchestrator: imported the Kiro spec/.test(m.message)
          ? undefined
          : m.modal && /will change the schema/.test(m.message)
            ? 'Yes'
            : undefined;
      await vscode.commands.executeCommand('orchestrator.importSpec', vscode.Uri.file(folder));
      const note = user()
        .messages('info')
        .find((m) => /imported the Kiro spec/.test(m.message));
      assert.ok(note, JSON.stringify(user().shown));
      assert.match(
        note.message,
        /\.kiro\/specs\/product-catalog as (\S+): 2 requirement\(s\), 5 task\(s\); 1 item\(s\) no layer owns/,
      );
      assert.deepEqual(note.items, ['Approve and Implement', 'Open Spec']);
      specId = /as (\S+):/.exec(note.message)![1]!;
      const selected = await until(
        () => view().selectedSpec?.id === specId && view().selectedTrace,
        20_000,
        'the imported spec with its matrix',
      );
      assert.deepEqual(
        selected.rows.map((r) => r.criterion),
        ['REQ-1.1', 'REQ-1.2', 'REQ-7.1', 'REQ-7.2'],
      );
      const listed = view().specs.find((s) => s.id === specId)!;
      assert.equal(listed.status, 'awaiting-approval');
      assert.deepEqual(
        listed.unowned?.map((u) => u.text),
        ['4 Anunciar el catálogo en el blog de la tienda (REQ-7) — no layer (pick one when approving)'],
      );
      assert.equal((await api.since(from)).length, 0, 'a model was asked');
    } finally {
      rmSync(wsPath('.kiro'), { recursive: true, force: true });
      if (specId) rmSync(wsPath(`spec/active/${specId}`), { recursive: true, force: true });
    }
  });
});
