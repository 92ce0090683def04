/** The runners' names live on the base floor (src/core/runnerNames.ts): the config schema, below this room, reads them too. */
export * from '../runnerNames';
