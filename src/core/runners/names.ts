/** The runners' names live on the base floor (src/core/text/runnerNames.ts): the config schema, below this room, reads them too. */
export * from '../text/runnerNames';
