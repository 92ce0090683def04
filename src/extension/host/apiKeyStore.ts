/**
 * Provider API keys live in SecretStorage only (fallback: the provider's environment variable,
 * ANTHROPIC_API_KEY or OPENAI_API_KEY). They are never logged, never put in settings, events,
 * messages or the webview.
 */
import * as vscode from 'vscode';
import { type KeyedProvider, keyFromEnv, PROVIDER_KEY_ENV } from '../../core/text/providerKeys';

export interface KeyKind {
  /** The SecretStorage key. */
  secret: string;
  /** Whose key: its environment variable is read when nothing is stored (PROVIDER_KEY_ENV). */
  provider: KeyedProvider;
  /** The password box's title. */
  title: string;
  /** How messages name the key: "API key", "OpenAI-compatible API key". */
  label: string;
  placeHolder: string;
}

export const API_KEY_SECRET = 'orchestrator.anthropicApiKey';

export const ANTHROPIC_KEY: KeyKind = {
  secret: API_KEY_SECRET,
  provider: 'anthropic',
  title: 'Anthropic API key',
  label: 'API key',
  placeHolder: 'sk-ant-…',
};
/** The key of `openai:` models (providers.openai.baseURL); a local server needs none. */
export const OPENAI_KEY: KeyKind = {
  secret: 'orchestrator.openaiApiKey',
  provider: 'openai',
  title: 'OpenAI-compatible API key',
  label: 'OpenAI-compatible API key',
  placeHolder: 'sk-…',
};

export class ApiKeyStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly kind: KeyKind = ANTHROPIC_KEY,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async get(): Promise<string | undefined> {
    const stored = await this.secrets.get(this.kind.secret);
    return stored?.trim() || keyFromEnv(this.env, this.kind.provider);
  }

  /** Asks for the key in a password box; an empty answer removes the stored key. */
  async prompt(): Promise<void> {
    const { label } = this.kind;
    const value = await vscode.window.showInputBox({
      title: `Orchestrator: ${this.kind.title}`,
      prompt: `Stored in VS Code SecretStorage (${PROVIDER_KEY_ENV[this.kind.provider]} is used when none is stored). Leave empty to remove the stored key.`,
      placeHolder: this.kind.placeHolder,
      password: true,
      ignoreFocusOut: true,
    });
    if (value === undefined) return;
    if (value.trim() === '') {
      await this.secrets.delete(this.kind.secret);
      void vscode.window.showInformationMessage(`Orchestrator: the stored ${label} was removed.`);
      return;
    }
    await this.secrets.store(this.kind.secret, value.trim());
    void vscode.window.showInformationMessage(`Orchestrator: ${label} saved in SecretStorage.`);
  }
}
