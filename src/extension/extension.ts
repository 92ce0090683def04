/** Entry point. Activated only by the Orchestrator's commands and its sidebar view. */
import type * as vscode from 'vscode';
import { OrchestratorApp, type OrchestratorApi } from './app';
import { realEngine } from './engine';

export function activate(context: vscode.ExtensionContext): OrchestratorApi {
  const app = new OrchestratorApp(context, realEngine);
  context.subscriptions.push(app);
  return {
    getViewState: () => app.getViewState(),
    getMcpServers: () => app.getMcpServers(),
    getChatTranscripts: () => app.getChatTranscripts(),
  };
}

export function deactivate(): void {
  // Everything is owned by the app, which VS Code disposes through context.subscriptions.
}
