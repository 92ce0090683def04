/**
 * The run's own host, watched: every call goes to the host the run controller built (the same
 * `Host.decideSpec` as the sidebar, the CLI and the portal: one gate), and a watcher (a chat
 * response, a tool call) is told what passes through. Nothing is decided here.
 */
import type { EngineEvent } from '../../core/events';
import type { ConfirmationRequest, Host, SpecDecision, SpecDecisionRequest } from '../../core/host';

export interface RunWatcher {
  onEvent?(event: EngineEvent): void;
  /** The gate asks (the spec or a workflow phase's documents); the decision is taken elsewhere. */
  onGate?(request: SpecDecisionRequest): void;
  /** The gate was answered, wherever (the chat's buttons, the sidebar, the portal, the palette). */
  onDecision?(request: SpecDecisionRequest, decision: SpecDecision): void;
}

export function watchedHost(inner: Host, watcher: RunWatcher): Host {
  return {
    async decideSpec(request: SpecDecisionRequest): Promise<SpecDecision> {
      const decision = inner.decideSpec(request);
      watcher.onGate?.(request);
      const answered = await decision;
      watcher.onDecision?.(request, answered);
      return answered;
    },
    confirm: (request: ConfirmationRequest) => inner.confirm(request),
    onEvent(event: EngineEvent): void {
      inner.onEvent(event);
      watcher.onEvent?.(event);
    },
    getApiKey: () => inner.getApiKey(),
    getProviderKey: (provider: string) => inner.getProviderKey?.(provider) ?? Promise.resolve(undefined),
    isTrusted: () => inner.isTrusted(),
  };
}
