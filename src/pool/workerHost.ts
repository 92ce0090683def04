/**
 * The engine's host on a worker: no human at the keyboard, so the flags given at dispatch answer
 * (`--approve`, `--yes`); without `--yes` a confirmation waits for its answer in the portal
 * (poolConfirmations.ts), except the model's placement of tasks naming no file, which a pooled run
 * takes; every journaled event goes to the journal's mirror in the database;
 * keys come from the worker's environment only.
 */
import type { EngineEvent } from '../core/events';
import type { ConfirmationRequest, Host, SpecDecision, SpecDecisionRequest } from '../core/host';
import type { MirroredEntry } from './poolStore';
import type { PoolFlags } from './types';

export class WorkerHost implements Host {
  /** The spec the run wrote, when it asked for a decision: stored with the run at the gate. */
  spec: SpecDecisionRequest | undefined;
  /** The spec this run wrote (`spec.saved`), approved or not. */
  specId: string | undefined;

  constructor(
    private readonly flags: PoolFlags,
    private readonly onEntry: (entry: MirroredEntry) => void,
    private readonly log: (event: EngineEvent) => void,
    /** Asks a person and waits (the portal); without it, no `--yes` means no. */
    private readonly ask?: (request: ConfirmationRequest) => Promise<boolean>,
  ) {}

  async decideSpec(request: SpecDecisionRequest): Promise<SpecDecision> {
    this.spec = request;
    return this.flags.approve ? { action: 'approve' } : { action: 'save' };
  }

  async confirm(request: ConfirmationRequest): Promise<boolean> {
    // The model's placement of tasks naming no file is taken, never waited for: the approval given
    // at dispatch (or in the portal, which shows it) is of the spec as placed; tasks.assigned journals it.
    if (this.flags.yes === true || request.kind === 'layer-proposal') return true;
    return this.ask ? this.ask(request) : false;
  }

  onEvent(event: EngineEvent): void {
    // Journaled events carry their seq; the engine's notes before the journal opens do not.
    const seq = (event as { seq?: unknown }).seq;
    if (typeof seq === 'number') this.onEntry(event as unknown as MirroredEntry);
    if (event.type === 'spec.saved') this.specId = event.specId;
    this.log(event);
  }

  async getApiKey(): Promise<string | undefined> {
    return process.env.ANTHROPIC_API_KEY || undefined;
  }

  async getProviderKey(provider: string): Promise<string | undefined> {
    return provider === 'openai' ? process.env.OPENAI_API_KEY || undefined : undefined;
  }

  isTrusted(): boolean {
    // The operator who starts a worker on the team's repository trusts it (docs/pool.md).
    return true;
  }
}
