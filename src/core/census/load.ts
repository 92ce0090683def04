import type * as CensusRoom from './room';

/** The census room (dist/census.js once built), loaded on first use. */
export function censusRoom(): typeof CensusRoom {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./room') as typeof CensusRoom;
}
