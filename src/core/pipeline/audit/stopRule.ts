/**
 * When the loop ends (seed 001 `should_continue`, made stricter): the score reached the
 * target, the iteration cap is used up, or two iterations in a row did not improve the
 * score. (The budget is the run's hard cap: it stops the run wherever it is reached.)
 * After one iteration without improvement the auditor and the fixers are told that the
 * last strategy did not work.
 */
import type { AuditSettings, AuditStopReason } from '../../auditTypes';

/** Iterations that did not improve the score, counted back from the latest. */
export function iterationsWithoutImprovement(scores: readonly number[]): number {
  let stuck = 0;
  for (let i = scores.length - 1; i > 0 && scores[i]! <= scores[i - 1]!; i--) stuck++;
  return stuck;
}

/** `scores`: the baseline first, then one per iteration done. undefined: go on. */
export function loopEnd(
  scores: readonly number[],
  settings: Pick<AuditSettings, 'targetScore' | 'maxIterations'>,
): Exclude<AuditStopReason, 'budget' | 'stopped'> | undefined {
  const latest = scores.at(-1);
  if (latest === undefined) return undefined;
  if (latest >= settings.targetScore) return 'target';
  if (iterationsWithoutImprovement(scores) >= 2) return 'no-improvement';
  if (scores.length - 1 >= settings.maxIterations) return 'max-iterations';
  return undefined;
}

/** What the auditor and the fixers are told after an iteration that did not improve the score. */
export function strategyNote(scores: readonly number[]): string | undefined {
  if (iterationsWithoutImprovement(scores) !== 1) return undefined;
  const [before, after] = scores.slice(-2);
  return `## THE LAST STRATEGY DID NOT WORK
The last iteration did not improve the score (${before} → ${after}). Do not repeat it: look again at what keeps the score down, prefer the changes with the most impact, and close findings at their root rather than around them. One more iteration without improvement ends the audit.`;
}
