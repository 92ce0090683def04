/**
 * The runners' door. The CLI agents' runners are their own bundle (dist/runners.js), loaded by
 * loadRunner when an agent runs on one; this door gives the rest of the engine what the engine
 * bundle carries itself: the runners' names and the choice of one, the registry that loads them,
 * the check of their commands, the removal of their worktrees, and the runners' record with
 * `runner: auto`'s choice from it (record/).
 */
export { agentRunnerName, runRunnerOf } from './choose';
export { removeAgentWorktrees } from './cliAgent/agentWorktree';
export { checkRunnerCommands } from './cliAgent/cliCommand';
export {
  isCliRunner,
  type LayerRunner,
  parseRunnerPick,
  type RunnerName,
  type RunnerPick,
  runnerPickText,
} from './names';
export { loadRunner } from './registry';
export { type CliAgentChoice, runnerChoices, type RunnerChoices, setRunner } from './runnerChoice';
export type { RunnerDefinition, RunnerResult } from './types';
export { autoCandidates } from './record/autoCandidates';
export { chooseAuto, EXPLORE_EVERY, exploresNow } from './record/autoChoice';
export { fileRecord, RECORD_FILE } from './record/recordFile';
export { runnerStats, type RunnerStatsRow, type StatsFilter } from './record/recordStats';
export { latestOfEach, outcomeSchema, type RunnerRecord } from './record/recordStore';
