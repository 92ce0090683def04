/**
 * The hard cap on a run's model use: once it is reached no further model call may start.
 * Priced calls count in USD against `limits.maxBudgetUsd`; calls with no known price (a local
 * model, the editor's models, an endpoint that reports no usage) count as requests against
 * `limits.maxRequests`. Failed calls count nothing.
 */
/**
 * A budget beyond the run's own, kept by a host: the pool's team budget per UTC day, held in
 * its database across every worker (src/pool). The engine asks it before each model call and
 * tells it each call's cost; it knows nothing of where the budget lives.
 */
export interface SharedBudget {
  /**
   * Settles when a model call may start: undefined, or the limit that forbids it (e.g.
   * `limits.poolBudgetUsdPerDay`). It may wait (its store is unreachable: the run pauses).
   */
  admit(signal?: AbortSignal): Promise<string | undefined>;
  /** A successful call's cost in USD (undefined: no known price). */
  charge(usd: number | undefined): void;
}

export class Budget {
  private spent: number;
  private unpriced: number;
  /** The shared limit that refused a call: once refused, no further call of this run starts. */
  private sharedStop: string | undefined;

  constructor(
    readonly limitUsd: number,
    alreadySpentUsd = 0,
    readonly maxRequests?: number,
    alreadyUnpricedRequests = 0,
    private readonly shared?: SharedBudget,
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
  exhausted(): 'usd' | 'requests' | 'shared' | undefined {
    if (this.sharedStop !== undefined) return 'shared';
    if (this.spent >= this.limitUsd) return 'usd';
    if (this.maxRequests !== undefined && this.unpriced >= this.maxRequests) return 'requests';
    return undefined;
  }

  canStart(): boolean {
    return this.exhausted() === undefined;
  }

  /** Just before a model call: this run's caps, then the shared budget's (which may wait for its store). */
  async admit(signal?: AbortSignal): Promise<boolean> {
    if (!this.canStart()) return false;
    const stop = await this.shared?.admit(signal);
    if (stop !== undefined) this.sharedStop = stop;
    return stop === undefined;
  }

  /** The shared limit that stopped this run's calls, if one did. */
  get sharedLimit(): string | undefined {
    return this.sharedStop;
  }

  /** One successful call: its cost in USD, or undefined when it has no price. */
  charge(usd: number | undefined): void {
    if (usd === undefined) this.unpriced++;
    else this.spent += usd;
    this.shared?.charge(usd);
  }

  /** One line for a report or an agent's stop: what was spent against which limit. */
  describe(): string {
    const usd = `$${this.spent.toFixed(4)} spent of $${this.limitUsd.toFixed(4)}`;
    if (this.sharedStop !== undefined) return `the team's budget is spent (${this.sharedStop}); this run: ${usd}`;
    if (this.exhausted() === 'requests')
      return `${this.unpriced} unpriced requests of ${this.maxRequests} (limits.maxRequests); ${usd}`;
    return this.unpriced > 0 ? `${usd}; ${this.unpriced} unpriced requests` : usd;
  }
}
