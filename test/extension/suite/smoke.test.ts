// Smoke: the extension is there, a command activates it, and activate() registered every
// command the manifest contributes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'orchestrator-dev.orchestrator';

interface Manifest {
  contributes?: { commands?: { command: string }[] };
}

/** A contributed command that is safe to fire blind: shows or opens something, edits nothing. */
function harmlessCommand(ids: string[]): string | undefined {
  for (const pattern of [/log|output/i, /show|focus|refresh/i, /open/i]) {
    const id = ids.find((c) => pattern.test(c));
    if (id) return id;
  }
  return ids[0];
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

suite('smoke', () => {
  test('the extension is installed', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    assert.equal(ext.id, EXTENSION_ID);
  });

  test('a contributed command activates it and every contributed command is registered', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const contributed = ((ext.packageJSON as Manifest).contributes?.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'the manifest contributes no command');
    const command = harmlessCommand(contributed)!;
    // Not awaited: a command may wait for user input. Activation happens before it runs.
    void vscode.commands.executeCommand(command).then(undefined, () => undefined);
    assert.ok(await until(() => ext.isActive, 15_000), `not active 15 s after ${command}`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'contributed but not registered by activate()');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });
});
