/**
 * The mutation room's door (issue 61, docs/proof.md "Strength"): the lines a run changed, the
 * mutants engines make on them (StrykerJS here; the built-in mutator for other languages plugs in
 * as another MutationEngine), sampled within caps by a journaled seed, and each criterion's
 * mutants judged by its frozen proof tests in a copy of the work tree.
 */
export { changedLines, linesOfPatch } from './changedLines';
export type { EngineRun, MutationCommandRunner, MutationEngine } from './engine';
export { newSeed, sampleMutants } from './sample';
export { type CriterionStrength, measureStrength, type StrengthCaps, type StrengthCriterion, type StrengthJob, strengthScore } from './strength';
export { strykerEngine } from './stryker/strykerEngine';
export type { ChangedLines, Mutant, MutantResult, MutantStatus } from './types';
