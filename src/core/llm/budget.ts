/**
 * The hard cap on a run's model use: once it is reached no further model call may start.
 * Priced calls count in USD against `limits.maxBudgetUsd`; calls with no known price (a local
 * model, the editor's models, an endpoint that reports no usage) count as requests against
 * `limits.maxRequests`. Failed calls count nothing.
 */
export class Budget {
  private spent: number;
  private unpriced: number;

  constructor(
    readonly limitUsd: number,
    alreadySpentUsd = 0,
    readonly maxRequests?: number,
    alreadyUnpricedRequests = 0,
  ) {
    this.spent = alreadySpentUsd;
    this.unpriced = alreadyUnpricedRequests;
  }

  get spentUsd(): number {
    return this.spent;
  }

  /** Calls so far that had no price. */
  get unpricedRequests(): number {
    return this.unpriced;
  }

  /** Which cap is reached, if any. */
  exhausted(): 'usd' | 'requests' | undefined {
    if (this.spent >= this.limitUsd) return 'usd';
    if (this.maxRequests !== undefined && this.unpriced >= this.maxRequests) return 'requests';
    return undefined;
  }

  canStart(): boolean {
    return this.exhausted() === undefined;
  }

  /** One successful call: its cost in USD, or undefined when it has no price. */
  charge(usd: number | undefined): void {
    if (usd === undefined) this.unpriced++;
    else this.spent += usd;
  }

  /** One line for a report or an agent's stop: what was spent against which limit. */
  describe(): string {
    const usd = `$${this.spent.toFixed(4)} spent of $${this.limitUsd.toFixed(4)}`;
    if (this.exhausted() === 'requests') return `${this.unpriced} unpriced requests of ${this.maxRequests} (limits.maxRequests); ${usd}`;
    return this.unpriced > 0 ? `${usd}; ${this.unpriced} unpriced requests` : usd;
  }
}
