/**
 * The record as a table (issue 47): per runner, model and layer, how its outcomes went. `runners
 * stats`, the sidebar and `runner: auto` read the same figures.
 */
import type { RunnerOutcome } from '../../catalogue';

export interface RunnerStatsRow {
  layer: string;
  runner: string;
  /** Absent: a CLI agent on its own default model. */
  model?: string;
  runs: number;
  /** Of its runs, those whose first validation passed (0..1). */
  firstTryRate: number;
  /** Of its runs, those that passed at once with every proof test green: what `auto` ranks by (0..1). */
  passRate: number;
  meanRetries: number;
  /** Proof tests green of those run (0..1); absent when none ran. */
  proofGreenRate?: number;
  /** Of its reviewed runs, those the review approved (0..1); absent when none was reviewed. */
  approvedRate?: number;
  meanCostUsd: number;
  meanDurationMs: number;
}

export interface StatsFilter {
  layer?: string;
  /** Only outcomes whose work started at or after this time. */
  since?: Date;
}

/** Passed at once: validation at the first try, and every proof test that ran green. */
const passedAtOnce = (o: RunnerOutcome): boolean => o.firstTry && o.proofGreen === o.proofTotal;

/** Rows by layer, then best pass rate, then lowest mean cost. */
export function runnerStats(outcomes: readonly RunnerOutcome[], filter: StatsFilter = {}): RunnerStatsRow[] {
  const groups = new Map<string, RunnerOutcome[]>();
  for (const o of outcomes) {
    if (filter.layer !== undefined && o.layer !== filter.layer) continue;
    if (filter.since && !(Date.parse(o.at) >= filter.since.getTime())) continue;
    const key = JSON.stringify([o.layer, o.runner, o.model ?? null]);
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  return [...groups.values()]
    .map(rowOf)
    .sort((a, b) => a.layer.localeCompare(b.layer) || b.passRate - a.passRate || a.meanCostUsd - b.meanCostUsd);
}

function rowOf(runs: readonly RunnerOutcome[]): RunnerStatsRow {
  const { layer, runner, model } = runs[0]!;
  const n = runs.length;
  const mean = (of: (o: RunnerOutcome) => number): number => runs.reduce((sum, o) => sum + of(o), 0) / n;
  const proofTotal = runs.reduce((sum, o) => sum + o.proofTotal, 0);
  const reviewed = runs.filter((o) => o.review !== undefined);
  return {
    layer,
    runner,
    ...(model !== undefined ? { model } : {}),
    runs: n,
    firstTryRate: mean((o) => (o.firstTry ? 1 : 0)),
    passRate: mean((o) => (passedAtOnce(o) ? 1 : 0)),
    meanRetries: mean((o) => o.retries),
    ...(proofTotal > 0 ? { proofGreenRate: runs.reduce((sum, o) => sum + o.proofGreen, 0) / proofTotal } : {}),
    ...(reviewed.length > 0
      ? { approvedRate: reviewed.filter((o) => o.review === 'approved').length / reviewed.length }
      : {}),
    meanCostUsd: mean((o) => o.costUsd),
    meanDurationMs: mean((o) => o.durationMs),
  };
}
