import { RunCancelled } from '../../errors';
import type { EventSink, ProjectCommandKind } from '../../events';
import { commandSandbox, runCommand, type CommandResult, type CommandSandbox } from '../../process';
import { shownCommandOutput } from './committedFiles';
import type { RunContext } from './runContext';

/**
 * One of the project's commands run for a run (validate, proof, deploy, smoke, audit.test), all under
 * the same rules: what it executes re-checked against the run start's hashes (a change stops the
 * run as tampered), the minimal environment plus `commandEnv`, the command timeout, the run's
 * cancellation, and the sandbox (issue 36; `layer`: whose `sandbox.network` and lane); its kind,
 * exit and time journaled (`command.ran`). Trust is the caller's to check first: its report names
 * the step.
 */
export async function runProjectCommand(
  ctx: RunContext,
  command: string,
  run: ProjectCommandRun,
): Promise<CommandResult> {
  const { layer, place } = run;
  ctx.commandFiles?.verify(command);
  const sandbox = runSandbox(ctx, command, layer, place?.cwd);
  const result = await runCommand(command, {
    cwd: place?.cwd ?? ctx.workspace,
    timeoutSec: run.timeoutSec ?? ctx.config.limits.commandTimeoutSec,
    commandEnv: ctx.config.commandEnv,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    // Mutants wait on nobody and nobody waits on them but this run: the others' checks go first.
    ...(run.kind === 'strength' ? { background: true } : {}),
    ...sandboxOption(
      sandbox && place ? { ...sandbox, readOnly: [...(sandbox.readOnly ?? []), ...place.readOnly] } : sandbox,
    ),
  });
  journalDenials(ctx.emit, result, layer);
  journalCommand(ctx.emit, run, result);
  if (result.cancelled) throw new RunCancelled();
  return { ...result, output: await shownCommandOutput(ctx, result.output, place?.cwd ?? ctx.workspace) };
}

/** What a project command runs for: its kind, whose it is, its limit (default `limits.commandTimeoutSec`). */
export interface ProjectCommandRun {
  kind: ProjectCommandKind;
  layer?: string;
  /** A proof command's criteria (those of the tests it runs). */
  criteria?: readonly string[];
  timeoutSec?: number;
  /** A copy of the work tree to run in instead of it (the base for STRENGTH's new tests). */
  place?: CommandCopy;
}

/** The command's kind, whose, exit and time, journaled as `command.ran` (a run's time: its commands', and ours). */
export function journalCommand(
  emit: EventSink,
  run: Omit<ProjectCommandRun, 'timeoutSec' | 'place'>,
  result: CommandResult,
): void {
  emit({
    type: 'command.ran',
    kind: run.kind,
    command: result.command,
    ...(run.layer ? { layer: run.layer } : {}),
    ...(run.criteria?.length ? { criteria: [...new Set(run.criteria)] } : {}),
    exitCode: result.exitCode,
    ms: result.ms,
    ...(result.timedOut ? { timedOut: true as const } : {}),
  });
}

/** A copy of the work tree a command runs in instead (the base for STRENGTH's new tests): `readOnly`, what its links lead to. */
export interface CommandCopy {
  cwd: string;
  readOnly: readonly string[];
}

/** The sandbox of a run's command: its worktree (or workspace), its private folder, its layer's network. */
export function runSandbox(
  ctx: RunContext,
  command: string,
  layer?: string,
  workspace = ctx.workspace,
): CommandSandbox | undefined {
  // A copy of the work tree (the base, STRENGTH's mutants) is a place of its own, writable, worktree run or not.
  const worktree = workspace === ctx.workspace ? (ctx.attempt?.worktree ?? ctx.state().worktree?.path) : undefined;
  return commandSandbox(ctx.config, {
    workspace,
    command,
    runId: ctx.runId,
    ...(worktree ? { worktree, checkout: ctx.home } : {}),
    ...(layer ? { layer } : {}),
    ...(ctx.opts.readable ? { readOnly: ctx.opts.readable } : {}),
  });
}

export function sandboxOption(sandbox: CommandSandbox | undefined): { sandbox?: CommandSandbox } {
  return sandbox ? { sandbox } : {};
}

/** Each refusal the sandbox saw, journaled as `sandbox.denied` (in the layer's lane when it is a layer's). */
export function journalDenials(emit: EventSink, result: CommandResult, layer?: string): void {
  for (const denial of result.denials ?? [])
    emit({
      type: 'sandbox.denied',
      command: result.command,
      ...(layer ? { layer } : {}),
      kind: denial.kind,
      target: denial.target,
    });
}
