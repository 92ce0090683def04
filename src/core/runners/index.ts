/**
 * The runners' door. The CLI agents' runners are their own bundle (dist/runners.js), loaded by
 * loadRunner when an agent runs on one; this door gives the rest of the engine what the engine
 * bundle carries itself: the runners' names and the choice of one, the registry that loads them,
 * the check of their commands, and the removal of their worktrees.
 */
export { agentRunnerName, runRunnerOf } from './choose';
export { removeAgentWorktrees } from './cliAgent/agentWorktree';
export { checkRunnerCommands } from './cliAgent/cliCommand';
export { isCliRunner, parseRunnerPick, type RunnerName, type RunnerPick, runnerPickText } from './names';
export { loadRunner } from './registry';
export { type CliAgentChoice, runnerChoices, type RunnerChoices, setRunner } from './runnerChoice';
export type { RunnerDefinition, RunnerResult } from './types';
