/**
 * The engine's host for a run started from a GitHub issue (issue 39). The spec gate is asked
 * through `decideSpec` like any host's: the channel posts the spec as the comment and the
 * answer comes from a collaborator's `/approve`, `/changes` or `/cancel` there; a confirmation
 * likewise, by a comment on the issue answered `/allow` or `/deny` (issue 44). Model keys come from the
 * serving process's environment; GitHub's credentials are never handed to the engine.
 */
import type { EngineEvent } from '../core/events';
import type { ConfirmationRequest, Host, SpecDecision, SpecDecisionRequest } from '../core/host';

export interface GateAsker {
  gate(runId: string, request: SpecDecisionRequest): Promise<SpecDecision>;
  confirm(runId: string, request: ConfirmationRequest): Promise<boolean>;
  heard(runId: string, event: EngineEvent): void;
}

export class GithubRunHost implements Host {
  constructor(
    private readonly runId: string,
    private readonly channel: GateAsker,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  decideSpec(request: SpecDecisionRequest): Promise<SpecDecision> {
    return this.channel.gate(this.runId, request);
  }

  confirm(request: ConfirmationRequest): Promise<boolean> {
    return this.channel.confirm(this.runId, request);
  }

  onEvent(event: EngineEvent): void {
    this.channel.heard(this.runId, event);
  }

  async getApiKey(): Promise<string | undefined> {
    return this.env.ANTHROPIC_API_KEY || undefined;
  }

  async getProviderKey(provider: string): Promise<string | undefined> {
    return provider === 'openai' ? this.env.OPENAI_API_KEY || undefined : undefined;
  }

  isTrusted(): boolean {
    // The operator serving the repository trusts its commands (as a pool worker's, docs/github.md).
    return true;
  }
}
