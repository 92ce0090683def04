import type * as WorkspacesRoom from './room';

/** The JS workspace room (dist/workspaces.js once built): loaded by the first reading of a JS workspace. */
export function workspacesRoom(): typeof WorkspacesRoom {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./room') as typeof WorkspacesRoom;
}
