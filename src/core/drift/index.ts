/**
 * Drift's door. verify is its own bundle (dist/drift.js), loaded on first use through driftRoom
 * (load.ts); this door gives the rest of the engine that loader and the report's types, never the
 * room's code.
 */
export { driftRoom } from './load';
export type { CriterionProofNow, SpecDrift, SweptCriterion, VerifyReport } from './types';
export type { VerifyOptions } from './verifyCommand';
export type { QueueOptions, QueueReport, QueueRound } from './mergeTrain';
