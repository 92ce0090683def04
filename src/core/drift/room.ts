/**
 * The drift room as the engine loads it: on the first `verify`, never at start.
 * scripts/build.mjs makes this dist/drift.js and turns each `require('…/drift/room')` into
 * `require("./drift.js")`.
 */
export { verifySpecs } from './verifyCommand';
export { mergeInBatches } from './mergeTrain';
