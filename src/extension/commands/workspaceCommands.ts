/** Set API Key, Sync Registry, Initialize Workspace, Show Log. */
import * as vscode from 'vscode';
import { requireTrust } from '../host/trust';
import type { Services } from '../services';

export const setApiKey = (s: Services) => s.keys.prompt();
export const setOpenAIKey = (s: Services) => s.openaiKeys.prompt();

export const showLog = (s: Services) => s.log.show();

/** Sync runs the workspace's own scripts: trusted workspaces only. */
export async function syncRegistry(s: Services): Promise<void> {
  if (!requireTrust('Sync Registry')) return;
  const folder = await s.folders.pick('sync the registry of');
  if (!folder) return;
  await s.runs.run({ kind: 'sync', label: 'Sync registry', workspace: folder.uri.fsPath, needsKey: false, execute: (o) => s.engine.syncRegistry(o) });
}

/** Copies the extension's `.claude/` templates; existing files are kept. */
export async function initWorkspace(s: Services): Promise<void> {
  const folder = await s.folders.pick('initialize');
  if (!folder) return;
  const templates = vscode.Uri.joinPath(s.extensionUri, '.claude').fsPath;
  const result = await s.engine.initWorkspace(folder.uri.fsPath, templates, { trusted: vscode.workspace.isTrusted });
  s.log.write('info', `init: created ${result.created.join(', ') || 'nothing'}; kept ${result.kept.join(', ') || 'nothing'}`);
  const choice = await vscode.window.showInformationMessage(
    `Orchestrator: initialized ${folder.name} — ${result.created.length} files created, ${result.kept.length} already present.`,
    'Open Config',
  );
  if (choice === 'Open Config') await vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, '.claude', 'orchestrator.yaml'));
  await s.specs.refresh();
}
