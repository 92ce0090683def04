/**
 * One clear message, with a "Set API Key" button, when the key is missing or rejected.
 * The same failure can surface several times in one run (an event, then the thrown error);
 * the notice is shown once until the next run resets it. When the key is missing and the
 * editor has chat models that can call tools (Copilot's, say), it offers those too.
 */
import * as vscode from 'vscode';
import { editorToolModels, USE_EDITOR_MODELS_COMMAND } from '../lm/useEditorModels';
import { isAuthFailure } from './authError';

const SET_KEY = 'Set API Key';
export const USE_EDITOR_MODELS = "Use the Editor's Models";

export class AuthNotice {
  private shown = false;

  /** True once the notice was shown in this run (callers then skip their own error message). */
  get wasShown(): boolean {
    return this.shown;
  }

  reset(): void {
    this.shown = false;
  }

  async missing(): Promise<void> {
    const editorModels = await editorToolModels().catch(() => []);
    if (editorModels.length === 0) return this.show('Orchestrator needs an Anthropic API key to call the model.');
    const names = [...new Set(editorModels.map((m) => m.name))].slice(0, 3).join(', ');
    this.show(`Orchestrator needs an Anthropic API key to call Claude, or it can use the editor's models (${names}${editorModels.length > 3 ? ', …' : ''}).`, USE_EDITOR_MODELS);
  }

  /** Shows the notice when `failure` (an error or a summary's error text) is an authentication failure. */
  check(failure: unknown): boolean {
    if (failure === undefined || !isAuthFailure(failure)) return false;
    this.show('Orchestrator: the Anthropic API rejected the API key (or none is set).');
    return true;
  }

  private show(message: string, ...more: string[]): void {
    if (this.shown) return;
    this.shown = true;
    void vscode.window.showErrorMessage(message, SET_KEY, ...more).then((choice) => {
      if (choice === SET_KEY) void vscode.commands.executeCommand('orchestrator.setApiKey');
      if (choice === USE_EDITOR_MODELS) void vscode.commands.executeCommand(USE_EDITOR_MODELS_COMMAND);
    });
  }
}
