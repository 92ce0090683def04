/**
 * The engine's `decideSpec` waits here until the human decides in the sidebar (or through
 * the Approve Spec command). One decision is shown at a time; decisions name the spec so a
 * stale view cannot answer for a different one. Runs in worktrees (issue 22) may ask at the
 * same time: each waits its turn, and a new request of the same run supersedes its own
 * unanswered one (saving is the answer that loses nothing). A workflow phase's human gate
 * (issue 29: the request names its `phase`) asks the same way and is answered on its step: a
 * decision names the phase too, so an answer meant for one gate never settles another.
 */
import type { SpecDecision, SpecDecisionRequest } from '../../core/host';
import type { ViewStore } from '../view/store';
import { requireTrust } from './trust';

interface Pending {
  request: SpecDecisionRequest;
  /** The worktree run asking (its lane); undefined for the in-place run. */
  lane: string | undefined;
  resolve: (decision: SpecDecision) => void;
  /** When it was asked (ms): a decision recorded elsewhere before that is not for this wait. */
  since: number;
}

export class SpecDecisions {
  private readonly queue: Pending[] = [];

  constructor(
    private readonly store: ViewStore,
    private readonly reveal: () => void,
  ) {}

  /** The spec waiting at its spec gate now (not a phase's gate). */
  get pendingSpecId(): string | undefined {
    const head = this.queue[0];
    return head && head.request.phase === undefined ? head.request.specId : undefined;
  }

  /** The spec shown for a decision now, and since when it waits; `phase` when a workflow phase's gate asks. */
  get pending(): { specId: string; since: number; phase?: string } | undefined {
    const head = this.queue[0];
    return head
      ? {
          specId: head.request.specId,
          since: head.since,
          ...(head.request.phase !== undefined ? { phase: head.request.phase } : {}),
        }
      : undefined;
  }

  request(request: SpecDecisionRequest, lane?: string): Promise<SpecDecision> {
    this.settleWhere((p) => p.lane === lane, { action: 'save' });
    return new Promise<SpecDecision>((resolve) => {
      this.queue.push({ request, lane, resolve, since: Date.now() });
      if (this.queue.length === 1) this.show();
    });
  }

  /** Implementing runs the workspace's validate commands, so it needs trust (a phase's gate too: the phases after it run them). */
  approve(specId?: string, phase?: string): boolean {
    if (!this.matches(specId, phase)) return false;
    if (!requireTrust(phase === undefined ? 'Approve and implement' : `Approve phase ${phase}`)) return true;
    this.settleHead({ action: 'approve' });
    return true;
  }

  save(specId?: string, phase?: string): boolean {
    if (!this.matches(specId, phase)) return false;
    this.settleHead({ action: 'save' });
    return true;
  }

  requestChanges(specId: string, feedback: string, phase?: string): boolean {
    if (!this.matches(specId, phase) || !feedback.trim()) return false;
    this.settleHead({ action: 'changes', feedback: feedback.trim() });
    return true;
  }

  /** Every pending decision answered "save" (the window closes), so no engine is left waiting. */
  cancelPending(): void {
    this.settleWhere(() => true, { action: 'save' });
  }

  /** One run's pending decision answered "save" (it ended or was cancelled); `lane` undefined: the in-place run's. */
  cancelPendingOf(lane: string | undefined): void {
    this.settleWhere((p) => p.lane === lane, { action: 'save' });
  }

  /** No spec id (the palette's Approve Spec): whatever waits; else the same spec at the same gate. */
  private matches(specId: string | undefined, phase: string | undefined): boolean {
    const head = this.queue[0];
    return (
      head !== undefined && (specId === undefined || (specId === head.request.specId && phase === head.request.phase))
    );
  }

  private show(): void {
    const head = this.queue[0];
    if (!head) return;
    const { specId, specPath, markdown, phase, documents } = head.request;
    const gate = phase === undefined ? {} : { gate: { phase, specId, documents: [...(documents ?? [])] } };
    this.store.dispatch({
      type: 'decision.pending',
      spec: { id: specId, path: specPath, markdown },
      ...(head.lane ? { lane: head.lane } : {}),
      ...gate,
    });
    this.reveal();
  }

  private settleHead(decision: SpecDecision): void {
    const head = this.queue.shift();
    if (!head) return;
    this.store.dispatch({ type: 'decision.resolved', ...(head.lane ? { lane: head.lane } : {}) });
    head.resolve(decision);
    this.show();
  }

  private settleWhere(test: (pending: Pending) => boolean, decision: SpecDecision): void {
    const headGoes = this.queue[0] !== undefined && test(this.queue[0]);
    const going = this.queue.filter(test);
    for (const pending of going) this.queue.splice(this.queue.indexOf(pending), 1);
    if (headGoes)
      this.store.dispatch({ type: 'decision.resolved', ...(going[0]?.lane ? { lane: going[0].lane } : {}) });
    for (const pending of going) pending.resolve(decision);
    if (headGoes) this.show();
  }
}
