/**
 * SYNC: the project's own `sync` commands (registry and context compilers), bounded by
 * `commandTimeoutSec`, output captured, and only in a trusted workspace. A failing command
 * stops the run with its output. The registry and memory are read again afterwards, since
 * syncing is what rewrites them.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventSink } from '../../events';
import type { Host } from '../../host';
import type { OrchestratorConfig } from '../../project/config';
import { MEMORY_FILE, REGISTRY_FILE } from '../../project/files';
import { loadMemory } from '../../project/memory';
import { loadRegistry } from '../../project/registry';
import { redactSecrets } from '../../../shared/secrets';
import type { CommandFiles } from '../layers/commandFiles';
import { runCommand, trimErrorOutput } from '../layers/commands';
import { RunCancelled } from '../run/errors';
import { commandStopped } from '../run/reports';
import type { RunContext } from '../run/runContext';

export interface SyncTarget {
  workspace: string;
  config: OrchestratorConfig;
  host: Host;
  emit: EventSink;
  signal?: AbortSignal;
  /** A run's hashes of what the commands execute (checked before each runs); none outside a run. */
  commandFiles?: CommandFiles;
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
    target.commandFiles?.verify(command);
    const result = await runCommand(command, {
      cwd: target.workspace,
      timeoutSec: config.limits.commandTimeoutSec,
      commandEnv: config.commandEnv,
      ...(target.signal ? { signal: target.signal } : {}),
    });
    if (result.cancelled) throw new RunCancelled();
    if (result.exitCode !== 0) {
      throw commandStopped({ phase, command, output: trimErrorOutput(redactSecrets(result.output).text), exitCode: result.exitCode });
    }
    emit({ type: 'log', level: 'info', message: `${phase}: ${command} (${result.ms} ms)${lastLine(result.output)}` });
  }
  return true;
}

/** SYNC, then re-read what the commands rewrote (a file they left untouched is not read again). */
export async function syncAndReload(ctx: RunContext, phase: string): Promise<void> {
  if (ctx.config.sync.length === 0) return;
  const before = await Promise.all([fileStamp(ctx.workspace, REGISTRY_FILE), fileStamp(ctx.workspace, MEMORY_FILE)]);
  if (!(await runSyncCommands(ctx, phase))) return;
  const [registryAfter, memoryAfter] = await Promise.all([fileStamp(ctx.workspace, REGISTRY_FILE), fileStamp(ctx.workspace, MEMORY_FILE)]);
  const [reloadRegistry, reloadMemory] = [registryAfter !== before[0] || registryAfter === undefined, memoryAfter !== before[1] || memoryAfter === undefined];
  const [registry, memory] = await Promise.all([
    reloadRegistry ? loadRegistry(ctx.workspace) : undefined,
    reloadMemory ? loadMemory(ctx.workspace) : undefined,
  ]);
  if (registry) ctx.registry = registry;
  if (memory) ctx.memory = memory;
}

/**
 * Identity, size and modification time of a project file; undefined when it is missing.
 * Writers replace or rewrite the file, which changes at least one of them.
 */
async function fileStamp(workspace: string, file: string): Promise<string | undefined> {
  try {
    const s = await stat(join(workspace, file), { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return undefined;
  }
}

function lastLine(output: string): string {
  const line = output.trim().split('\n').at(-1)?.trim();
  return line ? `: ${line.slice(0, 200)}` : '';
}
