/** The engine's Host, implemented with VS Code UI: sidebar decisions, modal confirmations, events. */
import * as vscode from 'vscode';
import type { EngineEvent } from '../../core/events';
import type {
  ConfirmationRequest,
  Host,
  HostAnswer,
  HostQuestion,
  SpecDecision,
  SpecDecisionRequest,
} from '../../core/host';
import type { ApiKeyStore } from './apiKeyStore';
import type { SpecDecisions } from './specDecisions';

export class VscodeHost implements Host {
  constructor(
    private readonly decisions: SpecDecisions,
    private readonly keys: ApiKeyStore,
    private readonly emit: (event: EngineEvent, lane?: string) => void,
    /** The run waits for the human on a question (shown as "waiting for you"), or no longer. */
    private readonly asking: (asking: { agent: string; question: string } | undefined, lane?: string) => void,
    /** Keys of the other providers with one (`openai`), by model-id prefix. */
    private readonly providerKeys: ReadonlyMap<string, ApiKeyStore> = new Map(),
    /** The worktree run (issue 22) this host serves; absent for the in-place run. */
    private readonly lane?: string,
  ) {}

  /** The same host for one worktree run: its events and its spec decision are told apart by `lane`. */
  forLane(lane: string): VscodeHost {
    return new VscodeHost(this.decisions, this.keys, this.emit, this.asking, this.providerKeys, lane);
  }

  /** A gate: the sidebar's or the chat's decision; a confirmation: a modal. The run waits for the person. */
  async ask(asked: HostQuestion): Promise<HostAnswer> {
    return 'gate' in asked ? this.decideSpec(asked.gate) : { allowed: await this.confirm(asked.confirmation) };
  }

  private decideSpec(request: SpecDecisionRequest): Promise<SpecDecision> {
    return this.decisions.request(request, this.lane);
  }

  private async confirm(request: ConfirmationRequest): Promise<boolean> {
    const detail = [
      request.kind === 'unowned-work' || request.kind === 'layer-proposal' ? '' : `Agent: ${request.agent}`,
      ...request.paths.slice(0, 20).map((p) => `• ${p}`),
      request.paths.length > 20 ? `… and ${request.paths.length - 20} more` : '',
    ]
      .filter(Boolean)
      .join('\n');
    this.asking({ agent: request.agent, question: request.question }, this.lane);
    try {
      const answer = await vscode.window.showWarningMessage(request.question, { modal: true, detail }, 'Yes', 'No');
      return answer === 'Yes';
    } finally {
      this.asking(undefined, this.lane);
    }
  }

  onEvent(event: EngineEvent): void {
    this.emit(event, this.lane);
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
