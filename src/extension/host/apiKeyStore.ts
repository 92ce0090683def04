/**
 * The Anthropic API key lives in SecretStorage only (fallback: ANTHROPIC_API_KEY from the
 * environment). It is never logged, never put in settings, events, messages or the webview.
 */
import * as vscode from 'vscode';

export const API_KEY_SECRET = 'orchestrator.anthropicApiKey';

export class ApiKeyStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async get(): Promise<string | undefined> {
    const stored = await this.secrets.get(API_KEY_SECRET);
    return stored?.trim() || this.env.ANTHROPIC_API_KEY?.trim() || undefined;
  }

  /** Asks for the key in a password box; an empty answer removes the stored key. */
  async prompt(): Promise<void> {
    const value = await vscode.window.showInputBox({
      title: 'Orchestrator: Anthropic API key',
      prompt: 'Stored in VS Code SecretStorage. Leave empty to remove the stored key.',
      placeHolder: 'sk-ant-…',
      password: true,
      ignoreFocusOut: true,
    });
    if (value === undefined) return;
    if (value.trim() === '') {
      await this.secrets.delete(API_KEY_SECRET);
      void vscode.window.showInformationMessage('Orchestrator: the stored API key was removed.');
      return;
    }
    await this.secrets.store(API_KEY_SECRET, value.trim());
    void vscode.window.showInformationMessage('Orchestrator: API key saved in SecretStorage.');
  }
}
