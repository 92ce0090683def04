/**
 * `orchestrator attempts <runId> --use <layer>/<k>` and the sidebar's "Use this attempt"
 * (docs/attempts.md): the swap goes into the run's inbox. A run going right now (it holds the
 * workspace's run lock) carries it out between waves or before its review; a run that stopped or
 * was interrupted is resumed with it at once. An attempt that cannot be used is refused here, by
 * the rule the sidebar and the run apply too (attemptUse.ts).
 */
import { resolve } from 'node:path';
import type { RunOptions, RunSummary } from '../api';
import { activeRunLock, rebuildState } from '../journal';
import { eventsOfRun } from './runOf';
import { EngineUsageError } from '../errors';
import { resumeRun } from '../pipeline/run';
import { appendAttemptSwap, attemptsOfRun, phaseOfRun } from '../pipeline/attempts';
import { attemptRefusal, swapClosed } from '../text/attemptUse';

export type UseAttemptOutcome =
  | { status: 'queued'; runId: string; swapId: string }
  | { status: 'current'; runId: string }
  | { status: 'resumed'; swapId: string; summary: RunSummary };

export async function useAttempt(
  runId: string,
  layer: string,
  k: number,
  opts: Pick<RunOptions, 'workspace'> & Partial<RunOptions>,
  options: { resume?: boolean } = {},
): Promise<UseAttemptOutcome> {
  const workspace = resolve(opts.workspace);
  const events = eventsOfRun(workspace, runId);
  const live = activeRunLock(workspace)?.runId === runId;
  const status = rebuildState(events).status;
  // The journal says `interrupted` until the run ends; whether it is still going is the lock's.
  const run = { status: status === 'interrupted' && live ? 'running' : status, phase: phaseOfRun(events) };
  const closed = swapClosed(run);
  if (closed) throw new EngineUsageError(closed);
  const layers = attemptsOfRun(events);
  const tried = layers.find((l) => l.layer === layer);
  if (!tried)
    throw new EngineUsageError(
      `Run ${runId} tried ${layers.length > 0 ? `only ${layers.map((l) => l.layer).join(', ')}` : 'no layer'} in attempts; ${layer} has none to use.`,
    );
  const refused = attemptRefusal(run, tried, k);
  if (refused === 'current') return { status: 'current', runId };
  if (refused) throw new EngineUsageError(refused);
  const swap = appendAttemptSwap(workspace, runId, layer, k);
  if (live || options.resume === false) return { status: 'queued', runId, swapId: swap.id };
  if (!opts.host) throw new EngineUsageError('resuming the run needs a host');
  return { status: 'resumed', swapId: swap.id, summary: await resumeRun(runId, opts as RunOptions) };
}
