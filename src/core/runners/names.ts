/** The runners' names live in a leaf module the hosts read too (src/shared/runnerNames.ts). */
export * from '../../shared/runnerNames';
