/**
 * The mutation room's door (issue 61, docs/proof.md "Strength"): the lines a run changed, the
 * mutants engines make on them (StrykerJS for JavaScript and TypeScript, the built-in mutator for
 * the other languages it reads), sampled within caps by a journaled seed, and each criterion's
 * mutants judged by its frozen proof tests in a copy of the work tree.
 */
export { changedLines, linesOfPatch } from './changedLines';
export type { EngineRun, MutationCommandRunner, MutationEngine } from './engine';
export { builtinEngine } from './builtin';
export { newSeed, type Sampled, sampleMutants } from './sample';
export {
  type CriterionStrength,
  defaultEngines,
  measureStrength,
  type StrengthCaps,
  type StrengthCriterion,
  type StrengthJob,
  strengthScore,
  survivorsOf,
} from './strength';
export { strykerEngine } from './stryker/strykerEngine';
export type { ChangedLines, Mutant, MutantResult, MutantStatus } from './types';
export { copyWorkTree } from './workCopy';
