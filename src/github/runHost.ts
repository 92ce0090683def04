/**
 * The engine's host for a run started from a GitHub issue (issue 39). The spec gate is asked
 * through `decideSpec` like any host's: the channel posts the spec as the comment and the
 * answer comes from a collaborator's `/approve`, `/changes` or `/cancel` there; a confirmation
 * likewise, by a comment on the issue answered `/allow` or `/deny` (issue 44). Model keys come from the
 * serving process's environment; GitHub's credentials are never handed to the engine.
 */
import { HeadlessHost } from '../core/engineBundle';
import type { EngineEvent } from '../core/events';
import type { ConfirmationRequest, Parked, SpecDecision, SpecDecisionRequest } from '../core/host';

export interface GateAsker {
  gate(runId: string, request: SpecDecisionRequest): Promise<SpecDecision | Parked>;
  confirm(runId: string, request: ConfirmationRequest): Promise<boolean | Parked>;
  heard(runId: string, event: EngineEvent): void;
}

export class GithubRunHost extends HeadlessHost {
  constructor(
    private readonly runId: string,
    private readonly channel: GateAsker,
    env: NodeJS.ProcessEnv,
  ) {
    // Keys from the serving process's environment; the operator serving the repository trusts its commands (docs/github.md).
    super(env);
  }

  protected decideSpec(request: SpecDecisionRequest): Promise<SpecDecision | Parked> {
    return this.channel.gate(this.runId, request);
  }

  protected confirm(request: ConfirmationRequest): Promise<boolean | Parked> {
    return this.channel.confirm(this.runId, request);
  }

  onEvent(event: EngineEvent): void {
    this.channel.heard(this.runId, event);
  }
}
