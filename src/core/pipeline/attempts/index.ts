/**
 * The attempts room (docs/attempts.md): a layer's work tried N times from one base, each try in
 * its own worktree, the one its evidence proves best kept.
 */
export { attemptRef } from './attemptPlace';
export { attemptsFor, runAttemptsOf } from './attemptSettings';
export { type JudgedAttempt, pickAttempt, rankAttempts } from './attemptPick';
export { bringInAttempt } from './attemptApply';
export { appendAttemptSwap, type AttemptSwap, pendingSwaps } from './attemptSwaps';
export {
  attemptsAfter,
  attemptsOfRun,
  type AttemptStep,
  type AttemptView,
  type LayerAttempts,
  phaseOfRun,
} from './attemptsOfRun';
export { type AttemptDiff, attemptDiff } from './attemptDiff';
export { attemptsLine } from './attemptWords';
export { runLayerAttempts } from './layerAttempts';
