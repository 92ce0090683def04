/**
 * The engine's host on a worker: no human at the keyboard. The flags given at dispatch are the
 * run's answers given up front (`--approve`, `--yes`, the placement its approval accepts), which
 * the engine decides with (questions.ts, runPooled.ts passes them). A question they did not
 * answer is parked: a gate saves the run there, a confirmation is asked in the portal
 * (poolConfirmations.ts) and sets the run aside; the answer queues it again; every
 * journaled event goes to the journal's mirror in the database; keys come from the worker's
 * environment only, and the operator who starts a worker on the team's repository trusts it
 * (docs/pool.md).
 */
import { HeadlessHost } from '../core/engineBundle';
import type { EngineEvent } from '../core/events';
import type { ConfirmationRequest, Parked, SpecDecision, SpecDecisionRequest } from '../core/host';
import type { MirroredEntry } from './poolStore';

export class WorkerHost extends HeadlessHost {
  /** The spec the run wrote, when it asked for a decision: stored with the run at the gate. */
  spec: SpecDecisionRequest | undefined;
  /** The spec this run wrote (`spec.saved`), approved or not. */
  specId: string | undefined;
  /** The question the run was set aside on (its id), asked in the portal. */
  parked: string | undefined;

  constructor(
    private readonly onEntry: (entry: MirroredEntry) => void,
    private readonly log: (event: EngineEvent) => void,
    /** Asks a person where the run is not (the portal), who answers later; without it, no. */
    private readonly askLater?: (request: ConfirmationRequest) => Promise<void>,
  ) {
    super();
  }

  protected async decideSpec(request: SpecDecisionRequest): Promise<SpecDecision | Parked> {
    this.spec = request;
    return { parked: `it waits at its gate for approve ${request.specId}, the portal or its issue` };
  }

  protected async confirm(request: ConfirmationRequest): Promise<boolean | Parked> {
    if (!this.askLater) return false;
    await this.askLater(request);
    this.parked = request.questionId;
    return { parked: 'it waits for the answer to its confirmation in the portal' };
  }

  onEvent(event: EngineEvent): void {
    // Journaled events carry their seq; the engine's notes before the journal opens do not.
    const seq = (event as { seq?: unknown }).seq;
    if (typeof seq === 'number') this.onEntry(event as unknown as MirroredEntry);
    if (event.type === 'spec.saved') this.specId = event.specId;
    this.log(event);
  }
}
