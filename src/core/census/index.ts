/**
 * The census's door. The census is its own bundle (dist/census.js), loaded on first use through
 * censusRoom (load.ts); this door gives the rest of the engine only that loader, the census's
 * types, and the gates' and summary's few lines the engine bundle carries itself, never the room's
 * code. Its proof half (proof/: which runner runs a layer's tests, where proof tests go, the
 * command that runs given files, the probe that verifies it, the config's `proof:` section) is
 * one folder; dictionary/ checks the data dictionary.
 */
export type { DictionaryReport } from './dictionary/dictionaryCheck';
export { outcomeText, verifyConcurrency } from './gates';
export { unverifiedCount } from './verifyBudget';
export type { InitOptions, InitReport } from './initFromCensus';
export type { PropertyChoice, PropertyLibrary } from './propertyLibraries';
export { initSummary } from './initSummary';
export { censusRoom } from './load';
export type { Census, VerifyOutcome } from './types';
