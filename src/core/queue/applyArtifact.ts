/**
 * An approved `code` or `diff` artifact lands through the same gates as our own layer agents:
 * every path passes the workspace guard for its layer's `owns` (no `.git/`, no protected path,
 * no secret, no symlink out), a diff must apply to the files as they are now, and the layer's
 * `validate` commands — run by us, with the minimal environment — must pass. Anything short of
 * that restores the files as they were and refuses with the reason: nothing half lands.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, realpath, rm, stat as fsStat, writeFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { applyPatch, parsePatch } from 'diff';
import { WorkspaceGuard } from '../agents';
import { layerOwning, type OrchestratorConfig } from '../project/config';
import { commandSandbox, runCommand, trimErrorOutput } from '../process';
import { restoreFiles, type FileBefore } from './approvalJournal';
import type { Artifact, Task } from './types';

export type ApplyResult =
  | {
      ok: true;
      files: string[];
      layers: string[];
      /** Puts the workspace back as it was before. */ undo: () => Promise<void>;
    }
  | { ok: false; reason: string };

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
  /** Called with what every file was, before the first one is written: the caller journals it durably (approvalJournal.ts). */
  beforeWrite?: (before: FilesBefore) => void;
}

export interface FilesBefore {
  files: FileBefore[];
  createdDirs: string[];
}

/**
 * Writes the artifact's files and runs the validation of every layer they belong to. The
 * caller holds the decision on the artifact (QueueStore.holdDecision), so nobody else writes
 * the same artifact meanwhile. Refused, failed or thrown: the workspace is as it was.
 */
export async function applyArtifact(ctx: ApplyContext, task: Task, artifact: Artifact): Promise<ApplyResult> {
  if (!ctx.trusted)
    return {
      ok: false,
      reason: 'the workspace is not trusted (Restricted Mode): nothing from outside is written or validated',
    };
  // The guard hands out paths under the real root; so is everything compared with them here.
  const root = await realpath(ctx.workspace);
  const planned =
    artifact.type === 'code'
      ? codeChange(artifact)
      : artifact.type === 'diff'
        ? await diffChanges(ctx, artifact.content)
        : undefined;
  if (!planned) return { ok: false, reason: `a ${artifact.type} artifact has no files to apply` };
  if ('reason' in planned) return { ok: false, reason: planned.reason };

  // Each path is checked as its layer's agent would be: the task's layer, else the layer owning it.
  const layers = new Set<string>();
  const guards = new Map<string, WorkspaceGuard>();
  const changes: (FileChange & { abs: string })[] = [];
  for (const change of planned) {
    const layer = task.layer ?? layerOwning(ctx.config, change.path);
    if (!layer || !ctx.config.layers[layer])
      return {
        ok: false,
        reason: `refused: no layer owns ${JSON.stringify(change.path)}, so no layer's gates could check it`,
      };
    let guard = guards.get(layer);
    if (!guard)
      guards.set(
        layer,
        (guard = await WorkspaceGuard.create(
          ctx.workspace,
          ctx.config.layers[layer]!.owns,
          ctx.config.privacy.deny,
          ctx.config.proof.tests,
        )),
      );
    const verdict = await guard.checkWrite(change.path);
    if (!verdict.ok) return { ok: false, reason: `${verdict.reason} (layer ${layer})` };
    const blocked = await notAFileReason(root, verdict.abs, change.path);
    if (blocked) return { ok: false, reason: blocked };
    layers.add(layer);
    changes.push({ ...change, abs: verdict.abs });
  }

  const before = await snapshot(
    root,
    changes.map((c) => c.abs),
  );
  ctx.beforeWrite?.(before);
  const undo = () => restoreFiles(before);
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
        const sandbox = commandSandbox(ctx.config, { workspace: ctx.workspace, command, layer });
        const result = await runCommand(command, {
          cwd: ctx.workspace,
          timeoutSec: ctx.config.limits.commandTimeoutSec,
          commandEnv: ctx.config.commandEnv,
          ...(ctx.signal ? { signal: ctx.signal } : {}),
          ...(sandbox ? { sandbox } : {}),
        });
        if (result.exitCode !== 0) {
          await undo();
          const output = trimErrorOutput(result.output, 2000);
          return {
            ok: false,
            reason: `validation failed (layer ${layer}): ${command} exited ${result.exitCode ?? 'without a code'}; nothing was kept\n${output}`,
          };
        }
      }
    }
  } catch (error) {
    await undo();
    return { ok: false, reason: `could not write the files: ${(error as Error).message}; nothing was kept` };
  }
  return { ok: true, files: changes.map((c) => c.path), layers: [...layers], undo };
}

function codeChange(artifact: Artifact): FileChange[] | { reason: string } {
  if (!artifact.path) return { reason: 'a code artifact needs `path`: the file its content replaces' };
  return [{ path: artifact.path, text: artifact.content }];
}

/**
 * The files a unified diff changes, each with its new text; a patch that does not apply says
 * where. The `--- a/` side is read as an agent reads: the config's privacy.deny, the built-in
 * secret list and .gitignore apply, so a diff cannot copy a secret into a file it writes.
 */
async function diffChanges(ctx: ApplyContext, content: string): Promise<FileChange[] | { reason: string }> {
  let patches;
  try {
    patches = parsePatch(content);
  } catch (error) {
    return { reason: `the diff does not parse: ${(error as Error).message}` };
  }
  patches = patches.filter((p) => p.hunks.length > 0);
  if (patches.length === 0) return { reason: 'the diff has no hunks' };
  const reader = await WorkspaceGuard.create(ctx.workspace, [], ctx.config.privacy.deny);
  const changes: FileChange[] = [];
  for (const patch of patches) {
    const oldName = stripPrefix(patch.oldFileName);
    const newName = stripPrefix(patch.newFileName);
    const path = newName ?? oldName;
    if (!path) return { reason: 'a file in the diff has no name' };
    let current = '';
    if (oldName) {
      const readable = await reader.checkRead(oldName);
      if (!readable.ok) return { reason: readable.reason };
      const blocked = await notAFileReason(reader.root, readable.abs, oldName);
      if (blocked) return { reason: blocked };
      if (existsSync(readable.abs)) current = await readFile(readable.abs, 'utf8');
    }
    const next = applyPatch(current, patch);
    if (next === false)
      return {
        reason: `the diff does not apply to ${JSON.stringify(path)}: its context does not match the file as it is now`,
      };
    changes.push({ path, text: newName === undefined ? undefined : next });
  }
  return changes;
}

/** `a/src/x.ts` → `src/x.ts`; `/dev/null` → undefined (a created or deleted file). */
function stripPrefix(name: string | undefined): string | undefined {
  if (!name || name === '/dev/null') return undefined;
  return name.replace(/^[ab]\//, '');
}

/** Why `abs` cannot be a file: it is a folder (or a device…), or a file stands where a folder of its path must be. */
async function notAFileReason(workspace: string, abs: string, shown: string): Promise<string | undefined> {
  // Followed links: the guard already checked where a symlink leads; here only the kind matters.
  const stat = await fsStat(abs).catch(() => undefined);
  if (stat && !stat.isFile())
    return `refused: ${JSON.stringify(shown)} is ${stat.isDirectory() ? 'a folder' : 'not a regular file'} in the workspace; an artifact replaces files only`;
  for (let dir = dirname(abs); dir.length > workspace.length && dir !== dirname(dir); dir = dirname(dir)) {
    const parent = await fsStat(dir).catch(() => undefined);
    if (parent && !parent.isDirectory())
      return `refused: ${JSON.stringify(shown)} needs ${JSON.stringify(relative(workspace, dir))} to be a folder, but it is a file`;
    if (parent) break;
  }
  return undefined;
}

/** Every file's bytes and mode, and the folders that do not exist yet: what a restore puts back. */
async function snapshot(workspace: string, paths: string[]): Promise<FilesBefore> {
  const files: FileBefore[] = [];
  const createdDirs = new Set<string>();
  for (const abs of paths) {
    const stat = await fsStat(abs).catch(() => undefined);
    files.push(stat ? { abs, content: (await readFile(abs)).toString('base64'), mode: stat.mode } : { abs });
    let outermost: string | undefined;
    for (let dir = dirname(abs); dir.length > workspace.length && !existsSync(dir); dir = dirname(dir)) outermost = dir;
    if (outermost) createdDirs.add(outermost);
  }
  return { files, createdDirs: [...createdDirs] };
}
