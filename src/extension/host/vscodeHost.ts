/** The engine's Host, implemented with VS Code UI: sidebar decisions, modal confirmations, events. */
import * as vscode from 'vscode';
import type { EngineEvent } from '../../core/events';
import type { ConfirmationRequest, Host, SpecDecision, SpecDecisionRequest } from '../../core/host';
import type { ApiKeyStore } from './apiKeyStore';
import type { SpecDecisions } from './specDecisions';

export class VscodeHost implements Host {
  constructor(
    private readonly decisions: SpecDecisions,
    private readonly keys: ApiKeyStore,
    private readonly emit: (event: EngineEvent) => void,
    /** Keys of the other providers with one (`openai`), by model-id prefix. */
    private readonly providerKeys: ReadonlyMap<string, ApiKeyStore> = new Map(),
  ) {}

  decideSpec(request: SpecDecisionRequest): Promise<SpecDecision> {
    return this.decisions.request(request);
  }

  async confirm(request: ConfirmationRequest): Promise<boolean> {
    const detail = [request.kind === 'unowned-work' ? '' : `Agent: ${request.agent}`, ...request.paths.slice(0, 20).map((p) => `• ${p}`), request.paths.length > 20 ? `… and ${request.paths.length - 20} more` : '']
      .filter(Boolean)
      .join('\n');
    const answer = await vscode.window.showWarningMessage(request.question, { modal: true, detail }, 'Yes', 'No');
    return answer === 'Yes';
  }

  onEvent(event: EngineEvent): void {
    this.emit(event);
  }

  getApiKey(): Promise<string | undefined> {
    return this.keys.get();
  }

  async getProviderKey(provider: string): Promise<string | undefined> {
    return this.providerKeys.get(provider)?.get();
  }

  isTrusted(): boolean {
    return vscode.workspace.isTrusted;
  }
}
