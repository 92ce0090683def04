import type * as ImportRoom from './room';

/** The import room (dist/import.js once built), loaded on first use. */
export function importRoom(): typeof ImportRoom {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./room') as typeof ImportRoom;
}
