/**
 * The attempts room (docs/attempts.md): a layer's work tried N times from one base, each try in
 * its own worktree, the one its evidence proves best kept.
 */
export { ATTEMPT_REF_NAMESPACE, attemptRef } from './attemptPlace';
export { attemptsFor, runAttemptsOf } from './attemptSettings';
export { type JudgedAttempt, pickAttempt, rankAttempts } from './attemptPick';
export { runLayerAttempts } from './layerAttempts';
