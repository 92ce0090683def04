/**
 * Whether a run can take another of a layer's attempts now (docs/attempts.md): the one rule, applied
 * by the engine when a swap is asked (`orchestrator attempts --use`, change/useAttempt.ts) and when
 * the run carries it out (pipeline/change/settleSwaps.ts), and by the sidebar before it offers Use
 * this attempt and on the click. A portable leaf (no Node module): the webview bundles it.
 */

/** What the rule reads of the run: its status (`running` only while it goes), the phase it is in, and whether a worker of the pool runs it. */
export interface SwapRun {
  status: string;
  phase?: string | undefined;
  pooled?: true | undefined;
}

/** What the rule reads of a layer's attempts (the engine's fold, attemptsOfRun). */
export interface SwapLayer {
  layer: string;
  attempts: readonly {
    k: number;
    state: 'running' | 'judged' | 'skipped';
    validate?: 'passed' | 'failed' | undefined;
    error?: string | undefined;
    reason?: string | undefined;
  }[];
  /** The attempt in the run now, and the phase the run was in when it was put there. */
  picked?: { k: number; phase?: string | undefined } | undefined;
}

/** The run's swaps are closed for a reason of its own, whatever the layer: undefined while they are open. */
export function swapClosed(run: SwapRun): string | undefined {
  if (run.pooled)
    return 'A pooled run keeps its attempts on its worker: use `orchestrator attempts <runId> --use <layer>/<k>` there.';
  if (run.status === 'completed')
    return 'The run completed: attempts can be swapped only before. Each attempt stays on its ref (until gc) for a new run to build on.';
  if (run.status === 'rolled-back' || run.status === 'spec-saved')
    return `The run is ${run.status.replace('-', ' ')}: no attempt is in it; start a new run instead.`;
  return undefined;
}

/**
 * Why the run can take none of this layer's other attempts now; undefined while it can. The run
 * carries a swap out where it meets change requests, which it does only in the phase that picked the
 * layer's attempt (between waves, and before its review): once it has moved on, the review would
 * no longer be of the attempt in the run. With no attempt picked yet, a run going takes the swap
 * once one is (the first settle after the layer's wave); a run that stopped before that has none
 * to give way, and resumed it tries them all again.
 */
export function layerSwapClosed(run: SwapRun, layer: SwapLayer): string | undefined {
  const closed = swapClosed(run);
  if (closed) return closed;
  const picked = layer.picked;
  // While the run goes, the swap waits for the pick; a run that stopped before it tries them all again when resumed.
  if (!picked)
    return run.status === 'running'
      ? undefined
      : `No attempt at ${layer.layer} is in the run: it stopped before one was kept, and resumed it tries them all again.`;
  if (picked.phase !== undefined && run.phase !== undefined && run.phase !== picked.phase) {
    return `The run has moved on to ${run.phase} since ${layer.layer}'s attempts (in ${picked.phase}): an attempt can be used only while the run is still in that phase.`;
  }
  return undefined;
}

/**
 * Whether attempt k of this layer can be put in the run now: `current` when it is the one in it
 * already, else the refusal, or undefined when it can (the button shows, the swap is queued and
 * carried out).
 */
export function attemptRefusal(run: SwapRun, layer: SwapLayer, k: number): string | 'current' | undefined {
  const closed = swapClosed(run);
  if (closed) return closed;
  const attempt = layer.attempts.find((a) => a.k === k);
  if (!attempt)
    return `${layer.layer} had attempts ${layer.attempts.map((a) => a.k).join(', ')}; there is no attempt ${k}.`;
  if (attempt.state !== 'judged')
    return `${layer.layer}'s attempt ${k} ${attempt.state === 'skipped' ? `never started (${attempt.reason ?? 'skipped'})` : 'is still running'}.`;
  if (attempt.validate !== 'passed')
    return `${layer.layer}'s attempt ${k} failed its validation${attempt.error ? ` (${attempt.error})` : ''}: only an attempt that passed can be used.`;
  if (layer.picked?.k === k) return 'current';
  return layerSwapClosed(run, layer);
}
