/**
 * The team budget per UTC day (`limits.poolBudgetUsdPerDay`), as the engine's SharedBudget:
 * before each model call the day's spend is read from the database (so a call never starts once
 * any worker's charge spent the budget), and each call's cost is added there in one statement.
 * While PostgreSQL is unreachable a call waits (the run pauses) and charges are kept in order and
 * sent once it is back: nothing spent is lost.
 */
import type { SharedBudget } from '../core/llm';
import type { PoolStore } from './poolStore';
import { POOL_BUDGET_LIMIT } from './types';

const RETRY_MS = 1000;

export class TeamBudget {
  private charging: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: PoolStore,
    private readonly limitUsd: number | undefined,
    private readonly onTrouble: (message: string) => void = () => undefined,
  ) {}

  /** The engine's view for one run; `refused` tells afterwards whether the team budget stopped it. */
  forRun(): SharedBudget & { refused: boolean } {
    const view = {
      refused: false,
      admit: async (signal?: AbortSignal) => {
        const stop = await this.admit(signal);
        if (stop) view.refused = true;
        return stop;
      },
      charge: (usd: number | undefined) => this.charge(usd),
    };
    return view;
  }

  async admit(signal?: AbortSignal): Promise<string | undefined> {
    if (this.limitUsd === undefined) return undefined;
    // Earlier charges first: this worker's own last call counts before its next one starts.
    await this.charging;
    for (let said = false; ; said = true) {
      if (signal?.aborted) return undefined; // the call is cancelled anyway
      try {
        return (await this.store.spentToday()) >= this.limitUsd ? POOL_BUDGET_LIMIT : undefined;
      } catch (error) {
        if (!said)
          this.onTrouble(
            `the pool's database does not answer (${(error as Error).message}); the next model call waits for it`,
          );
        await pause(RETRY_MS, signal);
      }
    }
  }

  charge(usd: number | undefined): void {
    this.charging = this.charging.then(async () => {
      for (;;) {
        try {
          await this.store.charge(usd);
          return;
        } catch {
          await pause(RETRY_MS);
        }
      }
    });
  }

  /** Settles once every charge reached the database. */
  flush(): Promise<void> {
    return this.charging;
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
