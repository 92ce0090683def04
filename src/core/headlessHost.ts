/**
 * What the headless hosts share (the CLI, a pool worker, a run served from a GitHub issue or an
 * Action job): no editor, so model keys come from the process's environment only, and the folder
 * is trusted by whoever started the process there (the user running the CLI in it, the operator
 * starting a worker or serving the repository: docs/pool.md, docs/github.md). Each host adds how it
 * shows a question and carries the answer back.
 */
import type { EngineEvent } from './events';
import {
  answerBy,
  type ConfirmationRequest,
  type Host,
  type HostAnswer,
  type HostQuestion,
  type Parked,
  type SpecDecision,
  type SpecDecisionRequest,
} from './host';
import { keyFromEnv } from './text/providerKeys';

export abstract class HeadlessHost implements Host {
  constructor(protected readonly env: NodeJS.ProcessEnv = process.env) {}

  ask(asked: HostQuestion): Promise<HostAnswer> {
    return answerBy(asked, {
      gate: (request) => this.decideSpec(request),
      confirm: (request) => this.confirm(request),
    });
  }

  /** A gate's answer here: a decision, or parked. */
  protected abstract decideSpec(request: SpecDecisionRequest): Promise<SpecDecision | Parked>;
  /** A confirmation's answer here: yes or no, or parked. */
  protected abstract confirm(request: ConfirmationRequest): Promise<boolean | Parked>;
  abstract onEvent(event: EngineEvent): void;

  async getApiKey(): Promise<string | undefined> {
    return keyFromEnv(this.env, 'anthropic');
  }

  async getProviderKey(provider: string): Promise<string | undefined> {
    return keyFromEnv(this.env, provider);
  }

  isTrusted(): boolean {
    return true;
  }
}
