// Mutants judged by a proof command each (the built-in mutator's, and StrykerJS's without a runner
// plugin), in worker copies; pytest's in one forking Python process per worker.
export { executeEachMutant } from './execute';
export { type MutantsRun, type ProofOutcome, runEachMutant } from './run';
