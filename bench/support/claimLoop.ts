/** What each of the bench's queue clients does: take pending tasks until none is left, timing every claim. */
import type { QueueStore } from '../../src/core/queue/types';

export interface ClaimResult {
  won: number;
  lost: number;
  /** Every claim call (won or lost), in ms. */
  latencies: number[];
}

export async function claimUntilEmpty(store: QueueStore, claimer: string): Promise<ClaimResult> {
  const result: ClaimResult = { won: 0, lost: 0, latencies: [] };
  for (;;) {
    const pending = await store.listTasks({ status: 'pending' });
    if (pending.length === 0) return result;
    // Clients go for the oldest tasks, as agents polling a queue do: they collide often.
    const pick = pending[Math.floor(Math.random() * Math.min(pending.length, 5))]!;
    const t0 = performance.now();
    const won = await store.claim(pick.id, claimer, new Date(), 900);
    result.latencies.push(performance.now() - t0);
    if (won) result.won++;
    else result.lost++;
  }
}
