import { RunCancelled } from '../../errors';
import type { EventSink } from '../../events';
import { commandSandbox, runCommand, type CommandResult, type CommandSandbox } from '../../process';
import type { RunContext } from './runContext';

/**
 * One of the project's commands run for a run (validate, deploy, smoke, audit.test), all under
 * the same rules: what it executes re-checked against the run start's hashes (a change stops the
 * run as tampered), the minimal environment plus `commandEnv`, the command timeout, the run's
 * cancellation, and the sandbox (issue 36; `layer`: whose `sandbox.network` and lane). Trust is
 * the caller's to check first: its report names the step.
 */
export async function runProjectCommand(ctx: RunContext, command: string, layer?: string, timeoutSec = ctx.config.limits.commandTimeoutSec): Promise<CommandResult> {
  ctx.commandFiles?.verify(command);
  const result = await runCommand(command, {
    cwd: ctx.workspace,
    timeoutSec,
    commandEnv: ctx.config.commandEnv,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...sandboxOption(runSandbox(ctx, command, layer)),
  });
  journalDenials(ctx.emit, result, layer);
  if (result.cancelled) throw new RunCancelled();
  return result;
}

/** The sandbox of a run's command: its worktree (or workspace), its private folder, its layer's network. */
export function runSandbox(ctx: RunContext, command: string, layer?: string, workspace = ctx.workspace): CommandSandbox | undefined {
  const worktree = ctx.attempt?.worktree ?? ctx.state().worktree?.path;
  return commandSandbox(ctx.config, { workspace, command, runId: ctx.runId, ...(worktree ? { worktree, checkout: ctx.home } : {}), ...(layer ? { layer } : {}) });
}

export function sandboxOption(sandbox: CommandSandbox | undefined): { sandbox?: CommandSandbox } {
  return sandbox ? { sandbox } : {};
}

/** Each refusal the sandbox saw, journaled as `sandbox.denied` (in the layer's lane when it is a layer's). */
export function journalDenials(emit: EventSink, result: CommandResult, layer?: string): void {
  for (const denial of result.denials ?? []) emit({ type: 'sandbox.denied', command: result.command, ...(layer ? { layer } : {}), kind: denial.kind, target: denial.target });
}
