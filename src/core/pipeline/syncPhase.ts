/**
 * SYNC: the project's own `sync` commands (registry and context compilers), bounded by
 * `commandTimeoutSec`, output captured, and only in a trusted workspace. A failing command
 * stops the run with its output. The registry and memory are read again afterwards, since
 * syncing is what rewrites them.
 */
import type { EventSink } from '../events';
import type { Host } from '../host';
import type { OrchestratorConfig } from '../project/config';
import { loadMemory } from '../project/memory';
import { loadRegistry } from '../project/registry';
import { runCommand, trimErrorOutput } from './commands';
import { RunCancelled } from './errors';
import { commandStopped } from './reports';
import type { RunContext } from './runContext';

export interface SyncTarget {
  workspace: string;
  config: OrchestratorConfig;
  host: Host;
  emit: EventSink;
  signal?: AbortSignal;
}

/** Runs the sync commands; false when they were skipped (none, or an untrusted workspace). */
export async function runSyncCommands(target: SyncTarget, phase: string): Promise<boolean> {
  const { config, host, emit } = target;
  if (config.sync.length === 0) return false;
  if (!host.isTrusted()) {
    emit({ type: 'log', level: 'warn', message: `The workspace is not trusted: ${phase} did not run the sync commands (${config.sync.join('; ')}).` });
    return false;
  }
  for (const command of config.sync) {
    const result = await runCommand(command, {
      cwd: target.workspace,
      timeoutSec: config.limits.commandTimeoutSec,
      ...(target.signal ? { signal: target.signal } : {}),
    });
    if (result.cancelled) throw new RunCancelled();
    if (result.exitCode !== 0) {
      throw commandStopped({ phase, command, output: trimErrorOutput(result.output), exitCode: result.exitCode });
    }
    emit({ type: 'log', level: 'info', message: `${phase}: ${command} (${result.ms} ms)${lastLine(result.output)}` });
  }
  return true;
}

/** SYNC, then re-read what the commands may have rewritten. */
export async function syncAndReload(ctx: RunContext, phase: string): Promise<void> {
  if (await runSyncCommands(ctx, phase)) {
    ctx.registry = await loadRegistry(ctx.workspace);
    ctx.memory = await loadMemory(ctx.workspace);
  }
}

function lastLine(output: string): string {
  const line = output.trim().split('\n').at(-1)?.trim();
  return line ? `: ${line.slice(0, 200)}` : '';
}
