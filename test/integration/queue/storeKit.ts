// What a queue store's suite needs of a store, and the suites' clock.
import type { QueueStore, Task } from '../../../src/core/queue/types';

export interface StoreKit {
  /** A fresh, empty, open store. */
  fresh(): Promise<QueueStore>;
  /** Another open connection to the same queue (another process or machine in real life). */
  reopen(store: QueueStore): Promise<QueueStore>;
  /** `n` claimers, each on its own connection, claiming `taskId` at the same moment. */
  claimAtOnce(store: QueueStore, taskId: string, n: number): Promise<(Task | null)[]>;
  /** `n` reviewers, each on its own connection, holding the decision on `artifactId` at the same moment. */
  holdAtOnce(store: QueueStore, artifactId: string, n: number): Promise<boolean[]>;
}

export const T0 = new Date('2026-11-22T10:00:00.000Z');
export const later = (sec: number) => new Date(T0.getTime() + sec * 1000);
