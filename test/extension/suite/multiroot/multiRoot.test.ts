// New Feature in a multi-root workspace (issue 73): the window opens a `.code-workspace` naming the
// shop's copy and a repository it uses (api: the shop's package.json depends on its package), with
// no `.claude/workspace.yaml` anywhere. New Feature asks first, in a modal naming the members and
// the edge init would propose; Escape starts nothing and writes nothing; Across the Repositories
// writes that workspace file in their common folder and runs one change-set there, each member's
// part asked producers first (the spec agent refused here: the set stops at api, said once).
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { api, requireApi } from '../../support/api';
import { activated, until, view } from '../../support/host';
import { userPerTest } from '../../support/userPerTest';

suite('New Feature in a multi-root workspace', function () {
  this.timeout(90_000);
  suiteSetup(() => activated());
  const user = userPerTest();
  const folders = () => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const common = () => dirname(folders()[0]!);
  const REQUEST = 'Show how many are in stock';

  test('the modal names the members and their edge; Escape starts nothing and writes nothing', async () => {
    assert.deepEqual(
      folders().map((f) => f.slice(common().length + 1)),
      ['shop', 'api'],
    );
    user().onMessage = () => undefined;
    await vscode.commands.executeCommand('orchestrator.newFeature', REQUEST);
    const asked = user().shown.filter((m) => m.modal);
    assert.equal(asked.length, 1, JSON.stringify(user().shown));
    assert.equal(asked[0]!.message, 'Build the feature across the repositories of this workspace, as one change-set?');
    assert.match(
      asked[0]!.detail ?? '',
      /the one init would propose \((api, shop|shop, api); shop uses api via npm\) is written in /,
    );
    assert.deepEqual(asked[0]!.items, ['Across the Repositories', 'In One Folder']);
    assert.equal(existsSync(join(common(), '.claude', 'workspace.yaml')), false);
    assert.equal(view().busy, false);
    for (const folder of folders()) assert.equal(existsSync(join(folder, '.claude', 'runs')), false, folder);
  });

  test('Across the Repositories: the proposed workspace file written in their common folder, one change-set there, api asked first', async function () {
    requireApi(this);
    await api.scenario({ name: 'fail', agent: 'spec' });
    user().onMessage = (m) => (m.modal ? 'Across the Repositories' : undefined);
    await vscode.commands.executeCommand('orchestrator.newFeature', REQUEST);
    const said = await until(
      () => user().shown.find((m) => /change-set .* stopped at api/.test(m.message)),
      60_000,
      "the set's end said",
    );
    assert.equal(said.kind, 'error');
    const file = readFileSync(join(common(), '.claude', 'workspace.yaml'), 'utf8');
    assert.match(file, /consumer: shop/);
    assert.match(file, /producer: api/);
    assert.match(file, /via: npm/);
    // The producer's spec agent was asked for its part of the one change; the consumer not yet.
    const apiDir = folders()[1]!;
    const [run] = readdirSync(join(apiDir, '.claude', 'runs'), { withFileTypes: true }).filter(
      (r) => r.isDirectory() && !r.name.startsWith('spec-'),
    );
    const journal = readFileSync(join(apiDir, '.claude', 'runs', run!.name, 'events.jsonl'), 'utf8');
    assert.match(journal, /This is api's part of one change across the repositories api → shop/);
    assert.equal(existsSync(join(folders()[0]!, '.claude', 'runs')), false, 'the consumer waits for its producer');
  });
});
