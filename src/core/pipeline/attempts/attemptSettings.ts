/** How many attempts a layer gets (docs/attempts.md): `--attempts N` for the run, else the layer's, else the config's. */
import type { StateEvent } from '../../journal';
import { parseRunnerPick, type RunnerPick } from '../../runners';
import { runnerOf } from '../agent';
import type { RunContext } from '../kernel';

/** The run's `--attempts`: this session's option, else the one the run was started with (a resume keeps it). */
export function runAttemptsOf(option: number | undefined, events: readonly StateEvent[]): number | undefined {
  if (option !== undefined) return option;
  for (const e of events) if (e.type === 'run.started' && e.attempts !== undefined) return e.attempts;
  return undefined;
}

/** Attempts at `layer` in this run; an external layer's tasks go to one outside agent, so it has one. */
export function attemptsFor(ctx: RunContext, layer: string): number {
  const config = ctx.config.layers[layer];
  if (config?.runner === 'external') return 1;
  return runAttemptsOf(ctx.opts.attempts, ctx.events) ?? config?.attempts ?? ctx.config.attempts;
}

/**
 * What attempt `k` (from 1) runs on: `attemptRunners` entry k − 1 mod n (the first attempt on the
 * first entry); none configured: the job's own pick (`runner: auto`'s) or the layer's runner, every time.
 */
export function attemptPick(ctx: RunContext, layer: string, k: number, jobPick: RunnerPick | undefined): RunnerPick {
  const entries = ctx.config.attemptRunners;
  if (entries.length > 0) return parseRunnerPick(entries[(k - 1) % entries.length]!);
  return jobPick ?? { runner: runnerOf(ctx, layer) };
}
