/**
 * The census room as the engine loads it: on first use (`init`, Initialize Workspace, a run
 * without a config), never at start. scripts/build.mjs makes this dist/census.js and turns
 * each `require('…/census/room')` into `require("./census.js")`; from source it loads the module.
 */
export { takeCensus } from './census';
export { censusInMemory } from './init/inMemory';
export { initFromCensus } from './init/initFromCensus';
export { verifyCensus, verifyCommand } from './verify/verify';
// A throwaway worktree of a work tree as it is, where a change-set's member is checked with its producers linked (combined/).
export { verifySandbox } from './verify/verifySandbox';
// The property-based testing libraries a unit has, and the one to suggest (the proof agent's prompt).
export { propertyLibraries, propertyLibraryFor, propertyLibraryOf } from './manifests/propertyLibraries';
export { checkDictionary } from './dictionary/dictionaryCheck';
// The repository's files and their heads, for the import room's name scan (import/nameIndex.ts).
export { listRepositoryFiles, isSourceFile } from './files/fileList';
export { fileHead } from './files/fileHead';
