/**
 * Which workspace folder the Orchestrator works on. Single-root: that folder. Multi-root:
 * commands ask (showWorkspaceFolderPick) and the answer becomes the sidebar's folder.
 */
import * as vscode from 'vscode';
import { Disposable } from '../util/disposable';
import type { ViewStore } from '../view/store';

export class WorkspaceFolders extends Disposable {
  private chosen: vscode.WorkspaceFolder | undefined;
  private readonly changed = this.register(new vscode.EventEmitter<vscode.WorkspaceFolder | undefined>());
  /** Fires when the folder the sidebar shows changes. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly store: ViewStore) {
    super();
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.publish()));
    this.publish();
  }

  /** The sidebar's folder: the last one picked if still open, else the first. */
  current(): vscode.WorkspaceFolder | undefined {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (this.chosen && folders.some((f) => f.uri.toString() === this.chosen!.uri.toString())) return this.chosen;
    return folders[0];
  }

  /** Asks when there is more than one folder; explains when there is none. */
  async pick(purpose: string): Promise<vscode.WorkspaceFolder | undefined> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) {
      void vscode.window.showWarningMessage('Orchestrator: open a folder first.');
      return undefined;
    }
    if (folders.length === 1) return folders[0];
    const folder = await vscode.window.showWorkspaceFolderPick({
      placeHolder: `Workspace folder to ${purpose}`,
      ignoreFocusOut: true,
    });
    if (folder && folder.uri.toString() !== this.current()?.uri.toString()) {
      this.chosen = folder;
      this.publish();
    }
    return folder;
  }

  private publish(): void {
    const folder = this.current();
    this.store.dispatch({ type: 'workspace', name: folder?.name });
    this.changed.fire(folder);
  }
}
