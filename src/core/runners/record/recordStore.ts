/**
 * Where a repository's runners' record is kept (issue 47): the repository's data folder by
 * default (recordFile.ts), the pool's database for a pooled run (src/pool gives its own through
 * RunOptions.runnerRecord), so a team's workers share one record.
 */
import * as z from 'zod/mini';
import type { RunnerOutcome } from '../../catalogue';

export interface RunnerRecord {
  /** Every outcome kept (of `layer` only, when given), one per run, layer and attempt (the latest written wins). */
  read(filter?: { layer?: string }): Promise<RunnerOutcome[]>;
  /** Keeps a run's outcomes, replacing what the same run, layer and attempt had (a resumed run's end); resolves once durable. */
  add(outcomes: readonly RunnerOutcome[]): Promise<void>;
}

/** One outcome as a store holds it, checked when read back (a file anyone may edit, a database another version wrote). */
export const outcomeSchema = z.object({
  runId: z.string().check(z.minLength(1)),
  layer: z.string().check(z.minLength(1)),
  attempt: z.int().check(z.nonnegative()),
  runner: z.string().check(z.minLength(1)),
  model: z.optional(z.string()),
  firstTry: z.boolean(),
  retries: z.int().check(z.nonnegative()),
  proofGreen: z.int().check(z.nonnegative()),
  proofTotal: z.int().check(z.nonnegative()),
  review: z.optional(z.enum(['approved', 'rejected'])),
  costUsd: z.number().check(z.nonnegative()),
  durationMs: z.number().check(z.nonnegative()),
  at: z.string(),
});

/** An outcome's key in a store. */
const outcomeKey = (o: Pick<RunnerOutcome, 'runId' | 'layer' | 'attempt'>): string =>
  `${o.runId}\u0000${o.layer}\u0000${o.attempt}`;

/** The latest outcome of each key, in the order first written. */
export function latestOfEach(outcomes: Iterable<RunnerOutcome>): RunnerOutcome[] {
  const byKey = new Map<string, RunnerOutcome>();
  for (const outcome of outcomes) byKey.set(outcomeKey(outcome), outcome);
  return [...byKey.values()];
}
