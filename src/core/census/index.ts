/**
 * The census's door. The census is its own bundle (dist/census.js), loaded on first use through
 * censusRoom (load.ts); this door gives the rest of the engine only that loader, the census's
 * types, and the gates' and summary's few lines the engine bundle carries itself, never the room's
 * code. census.ts takes the census from its sub-rooms, each one concern, arrows pointing one way
 * (files ← schema ← manifests ← layers ← commands ← proof ← verify ← init):
 * files/ (the repository's files and their heads, ownership globs), schema/ (where the schema is),
 * manifests/ (packages, workspaces, frameworks), layers/ (units, their roles and order),
 * commands/ (CI, task files, package scripts → each layer's checks), proof/ (which runner runs a
 * layer's tests, where proof tests go, the command that runs given files), verify/ (running the
 * checks and the proof's probe on the untouched repository, their outcomes in words), init/ (what
 * init writes and says); dictionary/ checks the data dictionary.
 */
export type { DictionaryReport } from './dictionary/dictionaryCheck';
export { outcomeText, verifyConcurrency } from './verify/gates';
export { layerFolders, remainderLines, remainderWarning } from './commands/remainderLines';
export { unverifiedCount } from './verify/verifyBudget';
export type { InitOptions, InitReport } from './init/initFromCensus';
export type { PropertyChoice, PropertyLibrary } from './manifests/propertyLibraries';
export { initSummary } from './init/initSummary';
export { censusRoom } from './load';
export type { Census, VerifyOutcome } from './types';
