/**
 * Dependency waves and the concurrency limit. Layers of a wave really run at the same
 * time (up to `limits.concurrency`); the next wave starts once every layer of this one has
 * settled. A failing layer does not abort its siblings: their finished work is kept (and a
 * resume will not redo it); the most important failure is rethrown afterwards.
 */
import { RunCancelled, RunStop } from '../../errors';

export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function createLimiter(max: number): Limiter {
  let active = 0;
  const queue: (() => void)[] = [];
  const release = (): void => {
    active--;
    queue.shift()?.();
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}

export interface WaveHooks {
  onWave(index: number, of: number, layers: string[]): void;
  /**
   * The order in which the wave's layers ask the limiter for a slot (which it grants first
   * come, first served); the same layers, by default the wave's order. `later` = the layers
   * of the waves after this one.
   */
  startOrder?(wave: string[], later: string[]): string[];
  /** Between two waves, before the next starts (a run picks up change requests there). */
  beforeWave?(): Promise<void>;
  /** A layer whose work takes its own slots (its attempts, each one): it waits for none itself. */
  ownSlots?(layer: string): boolean;
}

/** Runs `work` for every layer, wave after wave, each layer through the limiter. */
export async function runWaves(
  waves: string[][],
  limit: Limiter,
  hooks: WaveHooks,
  work: (layer: string, wave: string[]) => Promise<void>,
): Promise<void> {
  for (const [index, wave] of waves.entries()) {
    if (index > 0) await hooks.beforeWave?.();
    hooks.onWave(index + 1, waves.length, wave);
    const order = hooks.startOrder?.(wave, waves.slice(index + 1).flat()) ?? wave;
    const started = new Map(
      order.map((layer) => [layer, hooks.ownSlots?.(layer) ? work(layer, wave) : limit(() => work(layer, wave))]),
    );
    // Settled in wave order, so which failure is rethrown does not depend on the start order.
    const results = await Promise.allSettled(wave.map((layer) => started.get(layer) as Promise<void>));
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failures.length > 0) throw mostImportant(failures);
  }
}

/** Cancellation first (the user asked), then a stop with its report, then anything else. */
export function mostImportant(failures: unknown[]): unknown {
  return failures.find((f) => f instanceof RunCancelled) ?? failures.find((f) => f instanceof RunStop) ?? failures[0];
}
