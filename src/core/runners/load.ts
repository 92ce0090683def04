import type * as RunnersRoom from './room';

/** The CLI runners' room (dist/runners.js once built), loaded on first use. */
export function runnersRoom(): typeof RunnersRoom {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./room') as typeof RunnersRoom;
}
