/**
 * At a run's end (completed, or stopped), what each layer's agent achieved goes into the
 * repository's runners' record (issue 47, docs/runners.md "The record"), before the end is
 * journaled: the pool's database for a pooled run, else the repository's data folder. Keyed by
 * run, layer and attempt, so a resumed run's end replaces its earlier outcomes, never adds twice.
 * A record that cannot be written is a warning: the run's own result stands.
 */
import { runnerOutcomes } from '../../catalogue';
import { recordOf } from '../agent';
import type { RunContext } from '../kernel';

export async function keepRunnerRecord(ctx: RunContext): Promise<void> {
  const outcomes = runnerOutcomes(ctx.runId, ctx.events);
  if (outcomes.length === 0) return;
  try {
    await recordOf(ctx).add(outcomes);
  } catch (error) {
    ctx.warn(`The runners' record was not written: ${error instanceof Error ? error.message : String(error)}`);
  }
}
