/**
 * The run's own host, watched: every call goes to the host the run controller built (the same
 * `Host.ask` as the sidebar, the CLI and the portal: one gate), and a watcher (a chat
 * response, a tool call) is told what passes through. Nothing is decided here.
 */
import type { EngineEvent } from '../../core/events';
import type { Host, HostAnswer, HostQuestion, SpecDecision, SpecDecisionRequest } from '../../core/host';

export interface RunWatcher {
  onEvent?(event: EngineEvent): void;
  /** The gate asks (the spec or a workflow phase's documents); the decision is taken elsewhere. */
  onGate?(request: SpecDecisionRequest): void;
  /** The gate was answered, wherever (the chat's buttons, the sidebar, the portal, the palette). */
  onDecision?(request: SpecDecisionRequest, decision: SpecDecision): void;
}

export function watchedHost(inner: Host, watcher: RunWatcher): Host {
  return {
    async ask(asked: HostQuestion): Promise<HostAnswer> {
      const answer = inner.ask(asked);
      if (!('gate' in asked)) return answer;
      watcher.onGate?.(asked.gate);
      const answered = await answer;
      if ('action' in answered) watcher.onDecision?.(asked.gate, answered);
      return answered;
    },
    onEvent(event: EngineEvent): void {
      inner.onEvent(event);
      watcher.onEvent?.(event);
    },
    getApiKey: () => inner.getApiKey(),
    getProviderKey: (provider: string) => inner.getProviderKey?.(provider) ?? Promise.resolve(undefined),
    isTrusted: () => inner.isTrusted(),
  };
}
