/**
 * `orchestrator attempts <runId> --use <layer>/<k>` and the sidebar's "Use this attempt"
 * (docs/attempts.md): the swap goes into the run's inbox. A run going right now (it holds the
 * workspace's run lock) carries it out between waves or before its review; a run that stopped or
 * was interrupted is resumed with it at once. An attempt that cannot be used is refused here.
 */
import { resolve } from 'node:path';
import type { RunOptions, RunSummary } from '../api';
import { activeRunLock, rebuildState, type StateEvent } from '../journal';
import { eventsOfRun } from './runOf';
import { EngineUsageError } from '../errors';
import { resumeRun } from '../pipeline/run';
import { appendAttemptSwap, attemptsOfRun } from '../pipeline/attempts';

export type UseAttemptOutcome = { status: 'queued'; runId: string; swapId: string } | { status: 'current'; runId: string } | { status: 'resumed'; swapId: string; summary: RunSummary };

export async function useAttempt(runId: string, layer: string, k: number, opts: Pick<RunOptions, 'workspace'> & Partial<RunOptions>, options: { resume?: boolean } = {}): Promise<UseAttemptOutcome> {
  const workspace = resolve(opts.workspace);
  const events = eventsOfRun(workspace, runId);
  const state = rebuildState(events);
  if (state.status === 'completed') throw new EngineUsageError(`Run ${runId} completed: attempts can be swapped only before. Attempt ${k} is kept on its ref; start a new run to build on it.`);
  if (state.status === 'rolled-back') throw new EngineUsageError(`Run ${runId} was rolled back; start a new run instead.`);
  const layers = attemptsOfRun(events);
  const tried = layers.find((l) => l.layer === layer);
  if (!tried) throw new EngineUsageError(`Run ${runId} tried ${layers.length > 0 ? `only ${layers.map((l) => l.layer).join(', ')}` : 'no layer'} in attempts; ${layer} has none to use.`);
  const attempt = tried.attempts.find((a) => a.k === k);
  if (!attempt) throw new EngineUsageError(`${layer} had attempts ${tried.attempts.map((a) => a.k).join(', ')} in run ${runId}; there is no attempt ${k}.`);
  if (attempt.state !== 'judged') throw new EngineUsageError(`${layer}'s attempt ${k} ${attempt.state === 'skipped' ? `never started (${attempt.reason ?? 'skipped'})` : 'is still running'}.`);
  if (attempt.validate !== 'passed') throw new EngineUsageError(`${layer}'s attempt ${k} failed its validation${attempt.error ? ` (${attempt.error})` : ''}: only an attempt that passed can be used.`);
  if (tried.picked?.k === k) return { status: 'current', runId };
  // The run carries swaps out where it meets change requests, which it does only in the phase that tried the layer.
  const moved = phaseAfterPick(events, layer);
  if (moved) throw new EngineUsageError(`Run ${runId} has moved on to ${moved.now} since ${layer}'s attempts (in ${moved.then}): an attempt can be used only while the run is still in that phase.`);
  const swap = appendAttemptSwap(workspace, runId, layer, k);
  if (activeRunLock(workspace)?.runId === runId || options.resume === false) return { status: 'queued', runId, swapId: swap.id };
  if (!opts.host) throw new EngineUsageError('resuming the run needs a host');
  return { status: 'resumed', swapId: swap.id, summary: await resumeRun(runId, opts as RunOptions) };
}

/** The phase the run is in now, when it is not the one in which `layer`'s attempt was picked. */
function phaseAfterPick(events: readonly StateEvent[], layer: string): { then: string; now: string } | undefined {
  let then: string | undefined;
  let now: string | undefined;
  for (const e of events) {
    if (e.type === 'phase.started') now = e.phase;
    else if (e.type === 'attempt.picked' && e.layer === layer) then = now;
  }
  return then !== undefined && now !== undefined && now !== then ? { then, now } : undefined;
}
