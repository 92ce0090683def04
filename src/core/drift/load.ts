import type * as DriftRoom from './room';

/** The drift room (dist/drift.js once built), loaded on first use. */
export function driftRoom(): typeof DriftRoom {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./room') as typeof DriftRoom;
}
