/**
 * An approved `code` or `diff` artifact lands through the same gates as our own layer agents:
 * every path passes the workspace guard for its layer's `owns` (no `.git/`, no protected path,
 * no secret, no symlink out), a diff must apply to the files as they are now, and the layer's
 * `validate` commands — run by us, with the minimal environment — must pass. Anything short of
 * that restores the files as they were and refuses with the reason: nothing half lands.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { applyPatch, parsePatch } from 'diff';
import { WorkspaceGuard } from '../agents/guard/workspaceGuard';
import { layerOwning, type OrchestratorConfig } from '../project/config/config';
import { runCommand, trimErrorOutput } from '../project/commands/runCommand';
import { redactSecrets } from '../../shared/secrets';
import type { Artifact, Task } from './types';

export type ApplyResult = { ok: true; files: string[]; layers: string[] } | { ok: false; reason: string };

interface FileChange {
  path: string;
  /** undefined: the file is deleted. */
  text: string | undefined;
}

export interface ApplyContext {
  workspace: string;
  config: OrchestratorConfig;
  /** Restricted Mode runs nothing from the workspace: no write, no validate command. */
  trusted: boolean;
  signal?: AbortSignal;
}

export async function applyArtifact(ctx: ApplyContext, task: Task, artifact: Artifact): Promise<ApplyResult> {
  if (!ctx.trusted) return { ok: false, reason: 'the workspace is not trusted (Restricted Mode): nothing from outside is written or validated' };
  const planned = artifact.type === 'code' ? codeChange(artifact) : artifact.type === 'diff' ? await diffChanges(ctx.workspace, artifact.content) : undefined;
  if (!planned) return { ok: false, reason: `a ${artifact.type} artifact has no files to apply` };
  if ('reason' in planned) return { ok: false, reason: planned.reason };

  // Each path is checked as its layer's agent would be: the task's layer, else the layer owning it.
  const layers = new Set<string>();
  const guards = new Map<string, WorkspaceGuard>();
  const changes: (FileChange & { abs: string })[] = [];
  for (const change of planned) {
    const layer = task.layer ?? layerOwning(ctx.config, change.path);
    if (!layer || !ctx.config.layers[layer]) return { ok: false, reason: `refused: no layer owns ${JSON.stringify(change.path)}, so no layer's gates could check it` };
    let guard = guards.get(layer);
    if (!guard) guards.set(layer, (guard = await WorkspaceGuard.create(ctx.workspace, ctx.config.layers[layer]!.owns, ctx.config.privacy.deny)));
    const verdict = await guard.checkWrite(change.path);
    if (!verdict.ok) return { ok: false, reason: `${verdict.reason} (layer ${layer})` };
    layers.add(layer);
    changes.push({ ...change, abs: verdict.abs });
  }

  const before = await Promise.all(changes.map(async (c) => ({ abs: c.abs, text: existsSync(c.abs) ? await readFile(c.abs) : undefined })));
  try {
    for (const change of changes) {
      if (change.text === undefined) await rm(change.abs, { force: true });
      else {
        await mkdir(dirname(change.abs), { recursive: true });
        await writeFile(change.abs, change.text);
      }
    }
    for (const layer of layers) {
      for (const command of ctx.config.layers[layer]!.validate) {
        const result = await runCommand(command, { cwd: ctx.workspace, timeoutSec: ctx.config.limits.commandTimeoutSec, commandEnv: ctx.config.commandEnv, ...(ctx.signal ? { signal: ctx.signal } : {}) });
        if (result.exitCode !== 0) {
          await restore(before);
          const output = trimErrorOutput(redactSecrets(result.output).text, 2000);
          return { ok: false, reason: `validation failed (layer ${layer}): ${command} exited ${result.exitCode ?? 'without a code'}; nothing was kept\n${output}` };
        }
      }
    }
  } catch (error) {
    await restore(before);
    return { ok: false, reason: `could not write the files: ${(error as Error).message}; nothing was kept` };
  }
  return { ok: true, files: changes.map((c) => c.path), layers: [...layers] };
}

function codeChange(artifact: Artifact): FileChange[] | { reason: string } {
  if (!artifact.path) return { reason: 'a code artifact needs `path`: the file its content replaces' };
  return [{ path: artifact.path, text: artifact.content }];
}

/** The files a unified diff changes, each with its new text; a patch that does not apply says where. */
async function diffChanges(workspace: string, content: string): Promise<FileChange[] | { reason: string }> {
  let patches;
  try {
    patches = parsePatch(content);
  } catch (error) {
    return { reason: `the diff does not parse: ${(error as Error).message}` };
  }
  patches = patches.filter((p) => p.hunks.length > 0);
  if (patches.length === 0) return { reason: 'the diff has no hunks' };
  const changes: FileChange[] = [];
  for (const patch of patches) {
    const oldName = stripPrefix(patch.oldFileName);
    const newName = stripPrefix(patch.newFileName);
    const path = newName ?? oldName;
    if (!path) return { reason: 'a file in the diff has no name' };
    // Read through the guard too: a diff against `.git/`, a secret or a path out of the workspace stops here.
    const readable = await (await WorkspaceGuard.create(workspace, [], [])).checkRead(oldName ?? path);
    if (!readable.ok) return { reason: readable.reason };
    const current = oldName && existsSync(readable.abs) ? await readFile(readable.abs, 'utf8') : '';
    const next = applyPatch(current, patch);
    if (next === false) return { reason: `the diff does not apply to ${JSON.stringify(path)}: its context does not match the file as it is now` };
    changes.push({ path, text: newName === undefined ? undefined : next });
  }
  return changes;
}

/** `a/src/x.ts` → `src/x.ts`; `/dev/null` → undefined (a created or deleted file). */
function stripPrefix(name: string | undefined): string | undefined {
  if (!name || name === '/dev/null') return undefined;
  return name.replace(/^[ab]\//, '');
}

async function restore(before: { abs: string; text: Buffer | undefined }[]): Promise<void> {
  for (const file of before) {
    if (file.text === undefined) await rm(file.abs, { force: true });
    else await writeFile(file.abs, file.text);
  }
}
