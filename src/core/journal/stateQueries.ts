/** What resume asks of a run's state, and what the hosts show of it (its folded journal, state.ts). */
import type { RunInfo } from './runInfo';
import type { RunState } from './state';

/** Layers whose implementation finished and whose validation passed: never re-run them. */
export function doneLayers(state: RunState): string[] {
  return Object.keys(state.layers)
    .filter((name) => state.layers[name]!.done)
    .sort();
}

export function isLayerDone(state: RunState, layer: string): boolean {
  return state.layers[layer]?.done === true;
}

/** Phases whose latest start was completed. */
export function donePhases(state: RunState): string[] {
  return Object.keys(state.phaseStatus).filter((phase) => state.phaseStatus[phase] === 'done');
}

export function isPhaseDone(state: RunState, phase: string): boolean {
  return state.phaseStatus[phase] === 'done';
}

/** A terminal event was journaled: there is nothing to resume. */
export function isFinished(state: RunState): boolean {
  return state.status !== 'interrupted' && state.status !== 'running';
}

/**
 * What `resume` continues: a run that did not complete. Interrupted or cancelled runs, and
 * stopped ones (every stop report ends in "run `orchestrator resume`": API errors, budget,
 * validation after a human fix…); never a completed, spec-saved or rolled-back run.
 */
export function isResumableStatus(status: RunInfo['status']): boolean {
  return status === 'interrupted' || status === 'cancelled' || status === 'stopped' || status === 'unchecked';
}

/** Every path the run changed, sorted (the summary's `filesChanged`). */
export function filesChanged(state: RunState): string[] {
  const { written, created, deleted } = state.files;
  return [...written, ...created, ...deleted].sort();
}

/** Validation retries per layer (the summary's `retries`). */
export function retriesByLayer(state: RunState): Record<string, number> {
  return Object.fromEntries(Object.entries(state.layers).map(([name, layer]) => [name, layer.retries]));
}

export function costByAgent(state: RunState): Record<string, number> {
  return Object.fromEntries(Object.entries(state.byAgent).map(([name, agent]) => [name, agent.costUsd]));
}
