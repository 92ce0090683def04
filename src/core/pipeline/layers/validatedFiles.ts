/**
 * Journal integrity for VALIDATE: `validation.passed` records a content hash of the layer's
 * files (everything its `owns` globs match), of its validate commands and of the files those
 * commands execute. On resume a layer
 * counts as validated only when that hash still matches the files as they are: a stale line
 * (someone edited the files since) or a forged one (appended without a hash, or with a
 * wrong one) sends the layer through validation again instead of skipping it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { commandFiles, workspaceScripts } from '../../project/commands';
import type { RunContext } from '../kernel';

/** Folders no layer's validation is about, and too big to hash. */
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

/** sha256 over the layer's validate commands, what they execute, and every owned file's path and content. */
export async function ownedFilesHash(
  workspace: string,
  owns: readonly string[],
  commands: readonly string[],
): Promise<string> {
  const matches = picomatch([...owns], { dot: true });
  const files = new Set<string>();
  const bases = new Set(owns.map((glob) => picomatch.scan(glob).base.replace(/^\.\//, '')));
  for (const base of bases) await collect(workspace, base, matches, files);
  const hash = createHash('sha256');
  hash.update(`commands\0${commands.join('\0')}\n`);
  const scripts = workspaceScripts(workspace);
  for (const command of commands) {
    for (const file of commandFiles(workspace, command, scripts))
      hash.update(`runs\0${file.path}\0${await fileDigest(join(workspace, file.path))}\n`);
  }
  for (const rel of [...files].sort()) {
    const abs = join(workspace, rel);
    const info = await lstat(abs).catch(() => undefined);
    if (!info) continue;
    const digest = info.isSymbolicLink()
      ? createHash('sha256')
          .update(`symlink:${await readlink(abs)}`)
          .digest('hex')
      : await fileDigest(abs);
    hash.update(`${rel}\0${digest}\n`);
  }
  return hash.digest('hex');
}

/** A file's sha256, streamed in chunks: a big file never holds the event loop for long. */
async function fileDigest(abs: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(abs, { highWaterMark: 256 * 1024 })) hash.update(chunk as Buffer);
  } catch {
    return 'unreadable';
  }
  return hash.digest('hex');
}

async function collect(
  workspace: string,
  dir: string,
  matches: (path: string) => boolean,
  files: Set<string>,
): Promise<void> {
  const entries = await readdir(join(workspace, dir), { withFileTypes: true }).catch(() => undefined);
  if (!entries) {
    // A glob without wildcards names a file: its "base" is the file itself.
    if (dir !== '' && matches(dir)) files.add(dir);
    return;
  }
  for (const entry of entries) {
    const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) await collect(workspace, rel, matches, files);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && matches(rel)) {
      files.add(rel);
    }
  }
}

/** The hash a `validation.passed` of `layer` records now. */
export function layerFilesHash(ctx: RunContext, layer: string): Promise<string> {
  const config = ctx.config.layers[layer];
  return ownedFilesHash(ctx.workspace, config?.owns ?? [], config?.validate ?? []);
}

export type RecordedValidation = 'holds' | 'stale' | 'unrecorded' | 'not-done';

/**
 * Whether the journal's word that the layer is done still holds: its recorded validation
 * matches the files as they are ('holds'), they changed since ('stale'), or the line carries
 * no record of them ('unrecorded': an old or a forged line).
 */
export async function recordedValidation(ctx: RunContext, layer: string): Promise<RecordedValidation> {
  const state = ctx.state().layers[layer];
  if (!state?.done) return 'not-done';
  if (state.validatedHash === undefined) return 'unrecorded';
  return state.validatedHash === (await layerFilesHash(ctx, layer)) ? 'holds' : 'stale';
}

export function revalidationNotice(layer: string, why: 'stale' | 'unrecorded'): string {
  return why === 'stale'
    ? `${layer}: its files changed since its validation passed; validating them again`
    : `${layer}: the journal's "validation passed" carries no record of the files it validated; validating them again`;
}
