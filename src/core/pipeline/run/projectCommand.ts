import { RunCancelled } from '../../errors';
import { runCommand, type CommandResult } from '../../project/commands/runCommand';
import type { RunContext } from './runContext';

/**
 * One of the project's commands run for a run (validate, deploy, smoke, audit.test), all under
 * the same rules: what it executes re-checked against the run start's hashes (a change stops the
 * run as tampered), the minimal environment plus `commandEnv`, the command timeout, and the
 * run's cancellation. Trust is the caller's to check first: its report names the step.
 */
export async function runProjectCommand(ctx: RunContext, command: string): Promise<CommandResult> {
  ctx.commandFiles?.verify(command);
  const result = await runCommand(command, {
    cwd: ctx.workspace,
    timeoutSec: ctx.config.limits.commandTimeoutSec,
    commandEnv: ctx.config.commandEnv,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  if (result.cancelled) throw new RunCancelled();
  return result;
}
