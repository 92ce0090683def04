/**
 * The import room as the engine loads it: on the first import or layer pick, never at start
 * (its markdown parser is most of its weight). scripts/build.mjs makes this dist/import.js and
 * turns each `require('…/import/room')` into `require("./import.js")`.
 */
export { assignTaskLayers } from './assignLayers';
export { importSpecFolder } from './importSpec';
export { listForeignSpecs } from './foreignList';
