/**
 * One budget for a change-set (issue 73): every member's run asks it before each model call and
 * tells it each call's cost (llm/budget.ts's SharedBudget), so the set's cap is spent across its
 * members, producer first, and the member that reaches it stops as a run stops on its own cap.
 */
import type { SharedBudget } from '../llm';

export class SetBudget implements SharedBudget {
  private spent = 0;

  constructor(
    readonly limitUsd: number,
    private readonly outer?: SharedBudget,
  ) {}

  get spentUsd(): number {
    return this.spent;
  }

  async admit(signal?: AbortSignal): Promise<string | undefined> {
    if (this.spent >= this.limitUsd)
      return `the change-set's limits.maxBudgetUsd ($${this.limitUsd.toFixed(2)}, spent across its members)`;
    return this.outer?.admit(signal);
  }

  charge(usd: number | undefined): void {
    if (usd !== undefined) this.spent += usd;
    this.outer?.charge(usd);
  }
}
