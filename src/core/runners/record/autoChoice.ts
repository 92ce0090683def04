/**
 * `runner: auto`'s rule (issue 47, docs/runners.md): among the candidates, one tried fewer than
 * TRUST_AFTER times for this layer runs first (the fewest runs first, then the config's order);
 * once each has its runs, the best record for the layer (pass rate: validation at once with every
 * proof test green; then the lowest mean cost; then the config's order), except one choice in
 * EXPLORE_EVERY, which looks at the least-tried other candidate. Which choices explore is decided
 * by a hash of the run's id and the layer, not Math.random: the same run chooses the same way
 * after a resume, and a test can know which runs explore.
 */
import { createHash } from 'node:crypto';
import type { RunnerOutcome } from '../../catalogue';
import type { AutoChoice } from '../../events';
import type { RunnerPick } from '../names';
import { runnerStats, type RunnerStatsRow } from './recordStats';

/** Runs of a candidate for a layer before its record is trusted. */
export const TRUST_AFTER = 2;
/** Once every candidate is trusted, one choice in this many explores (10 %). */
export const EXPLORE_EVERY = 10;

/** Whether the choice for `layer` in run `runId` explores (when every candidate has its runs). */
export function exploresNow(runId: string, layer: string): boolean {
  const hash = createHash('sha256').update(`${runId}\u0000${layer}`).digest();
  return hash.readUInt32BE(0) % EXPLORE_EVERY === 0;
}

/**
 * `candidates`: each with the model it runs on made explicit where one is known (the record
 * tells `agent` on two models apart), in the config's order; at least one.
 */
export function chooseAuto(
  candidates: readonly RunnerPick[],
  outcomes: readonly RunnerOutcome[],
  runId: string,
  layer: string,
): { pick: RunnerPick; choice: AutoChoice } {
  const rows = runnerStats(outcomes, { layer });
  const of = (pick: RunnerPick): RunnerStatsRow | undefined =>
    rows.find((row) => row.runner === pick.runner && row.model === pick.model);
  const runs = (pick: RunnerPick): number => of(pick)?.runs ?? 0;
  const leastTried = (among: readonly RunnerPick[]): RunnerPick =>
    among.reduce((least, pick) => (runs(pick) < runs(least) ? pick : least));
  const untried = candidates.filter((pick) => runs(pick) < TRUST_AFTER);
  if (untried.length > 0) return { pick: leastTried(untried), choice: { by: 'exploring' } };
  const ranked = [...candidates].sort(
    (a, b) => of(b)!.passRate - of(a)!.passRate || of(a)!.meanCostUsd - of(b)!.meanCostUsd,
  );
  const best = ranked[0]!;
  if (candidates.length > 1 && exploresNow(runId, layer))
    return { pick: leastTried(candidates.filter((pick) => pick !== best)), choice: { by: 'exploring' } };
  return { pick: best, choice: { by: 'record', runs: of(best)!.runs, passRate: of(best)!.passRate } };
}
