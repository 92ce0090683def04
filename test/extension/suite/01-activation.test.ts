// Activation: only the Orchestrator's own commands and view activate it (no `*`, no
// onStartupFinished), so it is inactive until one runs; then every contributed command is
// registered and the status bar item shows the idle state.
import * as assert from 'node:assert/strict';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { activated, EXTENSION_ID, extension, until } from '../support/host';
import { statusItem } from '../support/probe';
import { workspaceDir } from '../support/files';

interface Manifest {
  main: string;
  activationEvents?: string[];
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    views?: Record<string, { id: string }[]>;
    menus?: Record<string, { command: string }[]>;
  };
}

const manifest = (): Manifest => extension().packageJSON as Manifest;
const contributedCommands = (): string[] => manifest().contributes.commands.map((c) => c.command);

suite('activation', () => {
  test('the manifest activates only on its own commands and its view', () => {
    const m = manifest();
    const events = m.activationEvents ?? [];
    assert.ok(events.length > 0, 'no activation events');
    assert.ok(!events.includes('*'), 'activates on *');
    assert.ok(!events.includes('onStartupFinished'), 'activates on onStartupFinished');
    const views = Object.values(m.contributes.views ?? {})
      .flat()
      .map((v) => v.id);
    const commands = contributedCommands();
    const foreign = events.filter((e) => {
      const [kind, id] = e.split(':');
      return !((kind === 'onCommand' && commands.includes(id!)) || (kind === 'onView' && views.includes(id!)));
    });
    assert.deepEqual(foreign, [], 'activation events other than its own commands and views');
    assert.ok(views.includes('orchestrator.sidebar'));
  });

  test('it is inactive until one of its commands runs; the command activates it', async () => {
    const ext = extension();
    assert.equal(ext.isActive, false, 'active before any Orchestrator command ran');
    // Another extension's command does not wake it.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(ext.isActive, false);
    await vscode.commands.executeCommand('orchestrator.showLog');
    assert.ok(await until(() => ext.isActive, 15_000, 'activation by orchestrator.showLog'));
    const api = await activated();
    assert.equal(typeof api.getViewState, 'function', 'activate() does not return { getViewState }');
  });

  test('the view state describes the opened, trusted workspace and no run', async () => {
    const state = (await activated()).getViewState();
    assert.equal(vscode.workspace.isTrusted, true);
    assert.equal(state.hasWorkspace, true);
    assert.equal(state.workspaceName, basename(workspaceDir()));
    assert.equal(state.trusted, true);
    assert.equal(state.busy, false);
    assert.equal(state.pendingDecision, undefined);
    assert.equal(state.run, undefined);
  });

  test('every contributed command is registered, titled, in the Orchestrator category', async () => {
    await activated();
    const contributed = manifest().contributes.commands;
    assert.ok(contributed.length >= 12, `only ${contributed.length} commands contributed`);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((c) => !registered.has(c.command)).map((c) => c.command),
      [],
      'contributed but not registered by activate()',
    );
    assert.deepEqual(
      contributed.filter((c) => c.category !== 'Orchestrator').map((c) => c.command),
      [],
      'outside the Orchestrator category',
    );
    assert.deepEqual(
      contributed.filter((c) => !c.title.trim()).map((c) => c.command),
      [],
      'without a title',
    );
    for (const id of [
      'newFeature',
      'newBugfix',
      'approveSpec',
      'openSpec',
      'resumeRun',
      'cancelRun',
      'rollbackRun',
      'showChanges',
      'setApiKey',
      'syncRegistry',
      'initWorkspace',
      'showLog',
    ]) {
      assert.ok(registered.has(`orchestrator.${id}`), `orchestrator.${id} is not registered`);
    }
  });

  test('the menus name only contributed commands', () => {
    const commands = new Set(contributedCommands());
    const menus = manifest().contributes.menus ?? {};
    const unknown = Object.entries(menus).flatMap(([menu, items]) =>
      items.filter((i) => !commands.has(i.command)).map((i) => `${menu}: ${i.command}`),
    );
    assert.deepEqual(unknown, []);
  });

  test('the status bar item shows the idle state', async () => {
    await activated();
    const status = statusItem();
    assert.equal(status.item.text, '$(checklist) Orchestrator');
    assert.equal(status.item.command, 'orchestrator.sidebar.focus');
  });

  test(`its id is ${EXTENSION_ID} and it runs from dist/`, () => {
    const ext = extension();
    assert.equal(ext.id, EXTENSION_ID);
    assert.equal(manifest().main, './dist/extension.js');
  });
});
