// Show Changes and Rollback Run on the completed run of 03-featureRun: the changed files in a
// QuickPick, a vscode.diff whose left side is the file at the run's checkpoint, and a rollback
// (after its modal confirmation) that restores modified files and removes created ones.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { requireApi } from '../support/api';
import { MAIN_JS_NOTE } from '../support/apiProtocol';
import { exists, git, read, wsPath } from '../support/files';
import { activated, until, view } from '../support/host';
import { FakeUser } from '../support/ui';

const CREATED = ['db/migrations/003_create_product.sql', 'server/entities/product.js', 'web/src/products.js'];

function diffTab(): vscode.TabInputTextDiff | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputTextDiff ? input : undefined;
}

suite('changes and rollback', function () {
  this.timeout(60_000);
  let user: FakeUser;
  let runId: string;

  suiteSetup(async function () {
    requireApi(this);
    await activated();
    const completed = view().runs.find((r) => r.status === 'completed');
    assert.ok(completed, 'no completed run: this suite needs the run of 03-featureRun');
    runId = completed.runId;
  });
  setup(() => {
    user = new FakeUser();
  });
  teardown(async () => {
    user.restore();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Show Changes lists the changed files and diffs a modified one against the checkpoint', async () => {
    user.onPick = (items) => items.find((i) => i.label.endsWith(' web/src/main.js'));
    await vscode.commands.executeCommand('orchestrator.showChanges', runId);

    assert.equal(user.picks.length, 1, 'no QuickPick of changed files');
    const rows = user.picks[0]!.items.map((i) => `${i.description}: ${i.label.replace(/^\$\([^)]+\) /, '')}`).sort();
    assert.deepEqual(rows, [...CREATED.map((f) => `added: ${f}`), 'modified: web/src/main.js'].sort());

    const diff = await until(diffTab, 10_000, 'a diff editor');
    assert.equal(diff.original.scheme, 'orchestrator-checkpoint');
    assert.equal(diff.modified.scheme, 'file');
    assert.equal(diff.modified.fsPath, wsPath('web/src/main.js'));
    const left = await vscode.workspace.openTextDocument(diff.original);
    const committed = git('show', 'HEAD:web/src/main.js');
    assert.equal(left.getText(), committed, 'the left side is not the file at the checkpoint');
    assert.equal(read('web/src/main.js'), MAIN_JS_NOTE + committed);
  });

  test('an added file diffs against an empty checkpoint side', async () => {
    user.onPick = (items) => items.find((i) => i.label.endsWith(' server/entities/product.js'));
    await vscode.commands.executeCommand('orchestrator.showChanges', runId);
    const diff = await until(diffTab, 10_000, 'a diff editor');
    assert.equal(diff.modified.fsPath, wsPath('server/entities/product.js'));
    assert.equal((await vscode.workspace.openTextDocument(diff.original)).getText(), '');
    assert.equal(
      (await vscode.workspace.openTextDocument(diff.modified)).getText(),
      read('server/entities/product.js'),
    );
  });

  test('Rollback Run dismissed at its confirmation changes nothing', async () => {
    user.onMessage = () => undefined;
    await vscode.commands.executeCommand('orchestrator.rollbackRun', runId);
    const asked = user.messages('warn').filter((m) => m.modal);
    assert.equal(asked.length, 1, JSON.stringify(user.shown));
    assert.equal(asked[0]!.message, `Roll back run ${runId}?`);
    assert.deepEqual(asked[0]!.items, ['Roll Back']);
    for (const f of CREATED) assert.ok(exists(f), `${f} was removed without confirmation`);
    assert.ok(read('web/src/main.js').startsWith(MAIN_JS_NOTE));
  });

  test('Rollback Run restores the modified file and removes the created ones', async () => {
    user.onMessage = (m) => (m.modal && m.message === `Roll back run ${runId}?` ? 'Roll Back' : undefined);
    const untouched = read('server/entities/customer.js');
    await vscode.commands.executeCommand('orchestrator.rollbackRun', runId);

    assert.equal(read('web/src/main.js'), git('show', 'HEAD:web/src/main.js'));
    for (const f of CREATED) assert.equal(exists(f), false, `${f} is still there`);
    assert.equal(read('server/entities/customer.js'), untouched);
    const note = user.messages('info').find((m) => /rolled back/.test(m.message));
    assert.ok(note, JSON.stringify(user.shown));
    assert.match(note.message, /1 files restored, 3 removed/);
    // The agents' files now match HEAD again.
    assert.equal(git('status', '--porcelain', '--', 'db', 'server', 'web').trim(), '');
  });
});
