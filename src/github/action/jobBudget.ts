/**
 * `max-budget-usd` as a hard cap on what an issue's runs spend across all their jobs (issue 48):
 * the engine's SharedBudget (as the pool's team budget is), its spent amount read from the issue's
 * state and written back with it at each step. Before each model call the cap is asked: once the
 * jobs together spent it, no further call starts, in this job or a later one. Without the input the
 * cap is the config's `limits.maxBudgetUsd`.
 */
import type { SharedBudget } from '../../core/llm';

export class JobBudget implements SharedBudget {
  private spent: number;

  constructor(
    readonly capUsd: number,
    spentBefore: number,
    /** Where the cap comes from, for the words that name it. */
    readonly source: 'max-budget-usd' | 'limits.maxBudgetUsd',
  ) {
    this.spent = spentBefore;
  }

  get spentUsd(): number {
    return this.spent;
  }

  async admit(): Promise<string | undefined> {
    return this.spent >= this.capUsd
      ? `${this.source} (${usd(this.capUsd)}): this issue's runs spent ${usd(this.spent)} across their jobs`
      : undefined;
  }

  charge(cost: number | undefined): void {
    if (cost !== undefined && Number.isFinite(cost) && cost > 0) this.spent += cost;
  }

  /** The spec comment's line: the cap, and what was spent so far. */
  line(): string {
    return `Budget: at most ${usd(this.capUsd)} for this issue's runs across all their jobs (\`${this.source}\`); ${usd(this.spent)} spent so far.`;
  }
}

const usd = (value: number) => `$${value.toFixed(2)}`;
