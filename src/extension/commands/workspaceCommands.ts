/** Set API Key, Sync Registry, Initialize Workspace, Show Log, About, Try the Demo. */
import * as vscode from 'vscode';
import { requireTrust } from '../host/trust';
import type { Services } from '../services';

export const setApiKey = (s: Services) => s.keys.prompt();
export const setOpenAIKey = (s: Services) => s.openaiKeys.prompt();

export const showLog = (s: Services) => s.log.show();

/**
 * About: the version and the commit this build names (a .vsix from `npm run release` names its
 * checkout's), to copy into a report. Returns the line (scripts and tests), not waiting for the message.
 */
export function about(s: Services): string {
  void vscode.window.showInformationMessage(`Orchestrator: ${s.about}`, 'Copy', 'Show Log').then((choice) => {
    if (choice === 'Copy') void vscode.env.clipboard.writeText(s.about);
    else if (choice === 'Show Log') s.log.show();
  });
  return s.about;
}

/** Sync runs the workspace's own scripts: trusted workspaces only. */
export async function syncRegistry(s: Services): Promise<void> {
  if (!requireTrust('Sync Registry')) return;
  const folder = await s.folders.pick('sync the registry of');
  if (!folder) return;
  await s.runs.run({
    kind: 'sync',
    label: 'Sync registry',
    workspace: folder.uri.fsPath,
    needsKey: false,
    execute: (o) => s.engine.syncRegistry(o),
  });
}

/** Initialize Workspace: the census's proposal in the sidebar, to edit and accept there. */
export async function initWorkspace(s: Services): Promise<void> {
  const folder = await s.folders.pick('initialize');
  if (!folder) return;
  await s.init.propose(folder);
}

/**
 * Try the Demo: the sample shop (shipped with the extension) copied into a new folder on the
 * scripted model built into the engine, opened in a new window: no key, no network.
 */
export async function tryDemo(s: Services): Promise<void> {
  const demo = await s.engine.prepareDemo(vscode.Uri.joinPath(s.extensionUri, 'examples', 'shop').fsPath);
  s.log.write('info', `demo: the sample shop is in ${demo.folder}, on the scripted model demo:scripted`);
  const choice = await vscode.window.showInformationMessage(
    `Orchestrator: the demo project is ready in ${demo.folder}. It opens in a new window, where every agent is a scripted model (no key, no network). ` +
      `Trust the folder when asked, then run Orchestrator: New Feature with any request: the model implements "${demo.request}", with the spec's approval, validation and review.`,
    'Open in New Window',
  );
  if (choice)
    await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(demo.folder), { forceNewWindow: true });
}
