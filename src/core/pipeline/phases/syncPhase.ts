/**
 * SYNC: the project's own `sync` commands (registry and context compilers), bounded by
 * `commandTimeoutSec`, output captured, and only in a trusted workspace. A failing command
 * stops the run with its output. The registry and memory are read again afterwards, since
 * syncing is what rewrites them.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { EventSink } from '../../events';
import type { Host } from '../../host';
import type { OrchestratorConfig } from '../../project/config';
import { REGISTRY_FILE } from '../../project/sources';
import { loadMemory, loadRegistry, locateMemoryFile } from '../../project/registry';
import { redactSecrets } from '../../text/secrets';
import {
  type CommandFiles,
  commandStopped,
  journalCommand,
  journalDenials,
  type RunContext,
  runSandbox,
  sandboxOption,
} from '../kernel';
import { commandSandbox, runCommand, trimErrorOutput } from '../../process';
import { RunCancelled } from '../../errors';

export interface SyncTarget {
  workspace: string;
  config: OrchestratorConfig;
  host: Host;
  emit: EventSink;
  signal?: AbortSignal;
  /** A run's hashes of what the commands execute (checked before each runs); none outside a run. */
  commandFiles?: CommandFiles;
}

/**
 * Runs the sync commands; false when they were skipped (none, or an untrusted workspace). They
 * run in the sandbox (issue 36): a run's own (its worktree, its private folder), else the workspace's.
 */
export async function runSyncCommands(
  target: SyncTarget,
  phase: string,
  sandboxOf = (command: string) => commandSandbox(target.config, { workspace: target.workspace, command }),
): Promise<boolean> {
  const { config, host, emit } = target;
  if (config.sync.length === 0) return false;
  if (!host.isTrusted()) {
    emit({
      type: 'log',
      level: 'warn',
      message: `The workspace is not trusted: ${phase} did not run the sync commands (${config.sync.join('; ')}).`,
    });
    return false;
  }
  for (const command of config.sync) {
    target.commandFiles?.verify(command);
    const result = await runCommand(command, {
      cwd: target.workspace,
      timeoutSec: config.limits.commandTimeoutSec,
      commandEnv: config.commandEnv,
      ...(target.signal ? { signal: target.signal } : {}),
      ...sandboxOption(sandboxOf(command)),
    });
    journalDenials(emit, result);
    journalCommand(emit, { kind: 'sync' }, result);
    if (result.cancelled) throw new RunCancelled();
    if (result.exitCode !== 0) {
      throw commandStopped({
        phase,
        command,
        output: trimErrorOutput(redactSecrets(result.output).text),
        exitCode: result.exitCode,
      });
    }
    emit({ type: 'log', level: 'info', message: `${phase}: ${command} (${result.ms} ms)${lastLine(result.output)}` });
  }
  return true;
}

/**
 * SYNC, then re-read what the commands rewrote (a file they left untouched is not read
 * again). Problems the new files bring are reported as warnings, once.
 */
export async function syncAndReload(ctx: RunContext, phase: string): Promise<void> {
  if (ctx.config.sync.length === 0) return;
  const before = await projectStamps(ctx);
  if (!(await runSyncCommands(ctx, phase, (command) => runSandbox(ctx, command)))) return;
  const after = await projectStamps(ctx);
  const [registry, memory] = await Promise.all([
    after.registry !== before.registry ? loadRegistry(ctx.workspace) : undefined,
    after.memory !== before.memory ? loadMemory(ctx.workspace, ctx.config) : undefined,
  ]);
  if (registry) ctx.registry = registry;
  if (memory) {
    ctx.memory = memory.graph;
    ctx.memoryFile = memory.file;
  }
  const fresh = [...(registry?.warnings ?? []), ...(memory?.warnings ?? [])].filter((w) => !ctx.warnings.includes(w));
  for (const warning of fresh) {
    ctx.warnings.push(warning);
    ctx.warn(warning);
  }
}

/** Stamps of every registry file and of the memory graph's file (wherever the project keeps it). */
async function projectStamps(ctx: RunContext): Promise<{ registry: string; memory: string }> {
  const registryFiles = new Set([REGISTRY_FILE, ...ctx.registry.files.map((f) => f.path)]);
  const memoryFile = (await locateMemoryFile(ctx.workspace, ctx.config)).file;
  const stamps = await Promise.all(
    [...registryFiles].map(async (file) => `${file}=${(await fileStamp(ctx.workspace, file)) ?? 'missing'}`),
  );
  return {
    registry: stamps.join(';'),
    memory:
      memoryFile === undefined
        ? 'missing'
        : `${memoryFile}=${(await fileStamp(ctx.workspace, memoryFile)) ?? 'missing'}`,
  };
}

/**
 * Identity, size and modification time of a project file; undefined when it is missing.
 * Writers replace or rewrite the file, which changes at least one of them.
 */
async function fileStamp(workspace: string, file: string): Promise<string | undefined> {
  // A lookup on this thread: cheaper than a stat sent to the thread pool (measured ~5 ms of the
  // main thread per run in a burst of twenty, most of it in the errors of missing files).
  const s = statSync(join(workspace, file), { bigint: true, throwIfNoEntry: false });
  return s ? `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}` : undefined;
}

function lastLine(output: string): string {
  const line = output.trim().split('\n').at(-1)?.trim();
  return line ? `: ${line.slice(0, 200)}` : '';
}
