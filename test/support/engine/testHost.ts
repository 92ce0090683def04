// An in-memory Host: scripted spec decisions and confirmations, every event recorded.
import type { EngineEvent } from '../../../src/core/events';
import {
  answerBy,
  type ConfirmationRequest,
  type Host,
  type HostAnswer,
  type HostQuestion,
  type Parked,
  type SpecDecision,
  type SpecDecisionRequest,
} from '../../../src/core/host';
import { TEST_KEYS } from '../modelServer';

export class TestHost implements Host {
  readonly events: EngineEvent[] = [];
  readonly specRequests: SpecDecisionRequest[] = [];
  readonly confirmations: ConfirmationRequest[] = [];
  /** Answered in order; when empty, `save`. */
  decisions: SpecDecision[] = [];
  confirmAnswer = true;
  trusted = true;
  apiKey: string | undefined = TEST_KEYS.anthropic;
  /** Keys of the other providers (getProviderKey). */
  providerKeys: Record<string, string | undefined> = { openai: TEST_KEYS.openai };

  /** Parks every gate (`gates`) or confirmation (`confirmations`) with this why, as a host answering in another process does. */
  parks: { gates?: string; confirmations?: string } = {};

  ask(asked: HostQuestion): Promise<HostAnswer> {
    return answerBy(asked, {
      gate: (request) => this.decideSpec(request),
      confirm: (request) => this.confirm(request),
    });
  }

  async decideSpec(request: SpecDecisionRequest): Promise<SpecDecision | Parked> {
    this.specRequests.push(request);
    if (this.parks.gates !== undefined) return { parked: this.parks.gates };
    return this.decisions.shift() ?? { action: 'save' };
  }

  async confirm(request: ConfirmationRequest): Promise<boolean | Parked> {
    this.confirmations.push(request);
    if (this.parks.confirmations !== undefined) return { parked: this.parks.confirmations };
    return this.confirmAnswer;
  }

  onEvent(event: EngineEvent): void {
    this.events.push(event);
  }

  async getApiKey(): Promise<string | undefined> {
    return this.apiKey;
  }

  async getProviderKey(provider: string): Promise<string | undefined> {
    return this.providerKeys[provider];
  }

  /** As on a machine with no key set for any provider. */
  dropKeys(): void {
    this.apiKey = undefined;
    this.providerKeys = {};
  }

  isTrusted(): boolean {
    return this.trusted;
  }

  ofType<T extends EngineEvent['type']>(type: T): Extract<EngineEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);
  }
}
