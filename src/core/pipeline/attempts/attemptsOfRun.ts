/**
 * A run's attempts as the hosts show them (the CLI's `attempts`, the sidebar, the portal, the pull
 * request body): one fold over the journal, by what the catalogue reads of each attempt's event.
 * `attemptsAfter` is its step, so a live view (the sidebar) folds each event as it comes and shows
 * what the CLI reads from the whole journal.
 */
import { type Meaning, meaningOf } from '../../catalogue';
import type { DiffStat, EngineEvent } from '../../events';

export interface AttemptView {
  k: number;
  runner: string;
  model?: string;
  state: 'running' | 'judged' | 'skipped';
  proofGreen?: number;
  proofTotal?: number;
  validate?: 'passed' | 'failed';
  retries?: number;
  costUsd?: number;
  durationMs?: number;
  diff?: DiffStat;
  ref?: string;
  error?: string;
  /** Why it did not start (the budget). */
  reason?: string;
  picked: boolean;
}

export interface LayerAttempts {
  layer: string;
  of: number;
  attempts: AttemptView[];
  /**
   * The attempt in the run now, why, whether the pick or a person chose it, and the phase the run
   * was in then (a swap is taken only in that phase: attemptUse.ts).
   */
  picked?: { k: number; why: string; by: 'judged' | 'person'; phase?: string };
}

/** One attempt's step, as the catalogue reads it from its event. */
export type AttemptStep = NonNullable<Meaning['attempt']>;

export function attemptsOfRun(events: readonly EngineEvent[]): LayerAttempts[] {
  let layers: LayerAttempts[] = [];
  let phase: string | undefined;
  for (const e of events) {
    if (e.type === 'phase.started') phase = e.phase;
    const step = meaningOf(e).attempt;
    if (step) layers = attemptsAfter(layers, step, phase);
  }
  return layers;
}

/** The phase the run is in: the last one started. */
export function phaseOfRun(events: readonly EngineEvent[]): string | undefined {
  let phase: string | undefined;
  for (const e of events) if (e.type === 'phase.started') phase = e.phase;
  return phase;
}

/** The layers' attempts after one more step, taken while the run is in `phase`. */
export function attemptsAfter(layers: readonly LayerAttempts[], step: AttemptStep, phase?: string): LayerAttempts[] {
  const at = layers.findIndex((l) => l.layer === step.layer);
  const folded = marked(layerAfter(at >= 0 ? layers[at]! : { layer: step.layer, of: 0, attempts: [] }, step, phase));
  return at >= 0 ? layers.map((l, i) => (i === at ? folded : l)) : [...layers, folded];
}

function layerAfter(layer: LayerAttempts, step: AttemptStep, phase: string | undefined): LayerAttempts {
  const kept = (view: AttemptView, from = layer.attempts): AttemptView[] =>
    [...from.filter((a) => a.k !== view.k), view].sort((a, b) => a.k - b.k);
  switch (step.step) {
    case 'started':
      // A resumed run tries again from attempt 1: what the earlier try judged is no longer the run's.
      return {
        ...layer,
        of: Math.max(layer.of, step.of),
        attempts: kept(
          {
            k: step.k,
            runner: step.runner,
            ...(step.model ? { model: step.model } : {}),
            state: 'running',
            picked: false,
          },
          step.k === 1 ? [] : layer.attempts,
        ),
      };
    case 'judged': {
      const view = layer.attempts.find((a) => a.k === step.k);
      if (!view) return layer;
      const { step: _step, layer: _layer, ...figures } = step;
      return { ...layer, attempts: kept({ ...view, ...figures, state: 'judged' }) };
    }
    case 'skipped':
      return {
        ...layer,
        attempts: kept({ k: step.k, runner: '', state: 'skipped', reason: step.reason, picked: false }),
      };
    case 'picked':
      return { ...layer, picked: { k: step.k, why: step.why, by: step.by, ...(phase ? { phase } : {}) } };
  }
}

/** Each attempt marked as the one in the run, or not. */
const marked = (layer: LayerAttempts): LayerAttempts => ({
  ...layer,
  attempts: layer.attempts.map((a) => (a.picked === (layer.picked?.k === a.k) ? a : { ...a, picked: !a.picked })),
});
