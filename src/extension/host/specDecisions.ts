/**
 * The engine's `decideSpec` waits here until the human decides in the sidebar (or through
 * the Approve Spec command). One decision can be pending at a time; decisions name the spec
 * so a stale view cannot answer for a different one.
 */
import type { SpecDecision, SpecDecisionRequest } from '../../core/host';
import type { ViewStore } from '../view/store';
import { requireTrust } from './trust';

interface Pending {
  request: SpecDecisionRequest;
  resolve: (decision: SpecDecision) => void;
}

export class SpecDecisions {
  private pending: Pending | undefined;

  constructor(
    private readonly store: ViewStore,
    private readonly reveal: () => void,
  ) {}

  get pendingSpecId(): string | undefined {
    return this.pending?.request.specId;
  }

  request(request: SpecDecisionRequest): Promise<SpecDecision> {
    // A new request supersedes an unanswered one; saving is the answer that loses nothing.
    this.settle({ action: 'save' });
    return new Promise<SpecDecision>((resolve) => {
      this.pending = { request, resolve };
      this.store.dispatch({ type: 'decision.pending', spec: { id: request.specId, path: request.specPath, markdown: request.markdown } });
      this.reveal();
    });
  }

  /** Implementing runs the workspace's validate commands, so it needs trust. */
  approve(specId?: string): boolean {
    if (!this.matches(specId)) return false;
    if (!requireTrust('Approve and implement')) return true;
    this.settle({ action: 'approve' });
    return true;
  }

  save(specId?: string): boolean {
    if (!this.matches(specId)) return false;
    this.settle({ action: 'save' });
    return true;
  }

  requestChanges(specId: string, feedback: string): boolean {
    if (!this.matches(specId) || !feedback.trim()) return false;
    this.settle({ action: 'changes', feedback: feedback.trim() });
    return true;
  }

  /** Called when the run ends or is cancelled, so the engine is never left waiting. */
  cancelPending(): void {
    this.settle({ action: 'save' });
  }

  private matches(specId: string | undefined): boolean {
    return this.pending !== undefined && (specId === undefined || specId === this.pending.request.specId);
  }

  private settle(decision: SpecDecision): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    this.store.dispatch({ type: 'decision.resolved' });
    pending.resolve(decision);
  }
}
