/**
 * The JS workspace room as the engine loads it: by the first config load or census of a
 * workspace whose root has a package.json, pnpm-workspace.yaml or lerna.json, never at start
 * (@manypkg/tools with jju, tinyglobby and fdir). scripts/build.mjs makes this dist/workspaces.js
 * and turns each `require('…/workspaces/room')` into `require("./workspaces.js")`.
 */
export { readJsWorkspace, type JsWorkspace, type PackageManager } from './readJsWorkspace';
