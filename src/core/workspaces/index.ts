/**
 * The JS workspaces' door: reading a JS workspace's packages is its own bundle
 * (dist/workspaces.js), loaded on first use through workspacesRoom; this door gives that loader
 * and the workspace's types.
 */
export { workspacesRoom } from './load';
export type { JsWorkspace, PackageManager } from './readJsWorkspace';
