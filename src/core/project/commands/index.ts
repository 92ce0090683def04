/**
 * The commands' door: what a validate, sync or deploy command executes (a JS workspace's scripts
 * too), and the trust rule that refuses one running a file a layer owns (process/ runs them).
 */
export { executedFiles, type ScriptsReader } from './commandPrograms';
export { checkCommandPrograms, commandFiles, configuredCommands, workspaceScripts } from './commandSafety';
export { loadJsWorkspace, type PackageManager } from './jsWorkspace';
