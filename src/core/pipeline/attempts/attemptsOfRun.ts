/** A run's attempts as the hosts show them (the CLI's `attempts`, the sidebar, the portal, the pull request body): one fold over the journal. */
import type { DiffStat } from '../../events';
import type { StateEvent } from '../../journal';

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
  /** The attempt in the run now, why, and whether the pick or a person chose it. */
  picked?: { k: number; why: string; by: 'judged' | 'person' };
}

export function attemptsOfRun(events: readonly StateEvent[]): LayerAttempts[] {
  const layers = new Map<string, { of: number; attempts: Map<number, AttemptView>; picked?: LayerAttempts['picked'] }>();
  const layerOf = (layer: string, of = 0) => {
    let entry = layers.get(layer);
    if (!entry) layers.set(layer, (entry = { of, attempts: new Map() }));
    entry.of = Math.max(entry.of, of);
    return entry;
  };
  for (const e of events) {
    if (e.type === 'attempt.started') {
      const entry = layerOf(e.layer, e.of);
      // A resumed run tries again from attempt 1: what the earlier try judged is no longer the run's.
      if (e.k === 1) entry.attempts.clear();
      entry.attempts.set(e.k, { k: e.k, runner: e.runner, ...(e.model ? { model: e.model } : {}), state: 'running', picked: false });
    } else if (e.type === 'attempt.judged') {
      const view = layerOf(e.layer).attempts.get(e.k);
      if (view) Object.assign(view, { state: 'judged', proofGreen: e.proofGreen, proofTotal: e.proofTotal, validate: e.validate, retries: e.retries, costUsd: e.costUsd, durationMs: e.durationMs, ...(e.diff ? { diff: e.diff } : {}), ...(e.ref ? { ref: e.ref } : {}), ...(e.error ? { error: e.error } : {}) });
    } else if (e.type === 'attempt.skipped') {
      layerOf(e.layer).attempts.set(e.k, { k: e.k, runner: '', state: 'skipped', reason: e.reason, picked: false });
    } else if (e.type === 'attempt.picked') {
      layerOf(e.layer).picked = { k: e.k, why: e.why, by: e.by };
    }
  }
  return [...layers].map(([layer, { of, attempts, picked }]) => ({
    layer,
    of,
    attempts: [...attempts.values()].sort((a, b) => a.k - b.k).map((a) => ({ ...a, picked: picked?.k === a.k })),
    ...(picked ? { picked } : {}),
  }));
}
