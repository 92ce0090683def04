/**
 * The process room's one door: what the engine starts as processes, beside the sandbox room
 * that confines them. The project's commands (validate, sync, deploy …) run here bounded by a
 * timeout, the run's signal and a process group (runCommand.ts), under the policy their sandbox
 * reads from the config (commandSandbox.ts); git and those commands are started from a small
 * helper process when this one is large (spawner.ts). What a command executes and whether the
 * project may run it is the project's (project/commands/): this room only runs it.
 */
export { BASE_COMMAND_ENV, commandEnvironment, runCommand, trimErrorOutput, type CommandResult } from './runCommand';
export { commandSandbox, removeCommandPrivateDir, type CommandSandbox } from './commandSandbox';
export { missedFileLines, missedFiles, type RepositoryCopy } from './missedFiles';
export { helperWanted, spawnThroughHelper, stopSpawnerHelper } from './spawner';
