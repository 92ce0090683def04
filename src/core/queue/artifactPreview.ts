/**
 * What approving an artifact would change, as a reviewer should read it: a unified diff
 * against the workspace file (a `code` artifact is the whole new file, so the diff is made
 * here; a `diff` artifact already is one), with its counts. The workspace side is read through
 * the agents' guard (privacy.deny, .gitignore, nothing outside the workspace): a path the guard
 * refuses is shown against an empty file, with the reason.
 */
import { existsSync } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';
import { createTwoFilesPatch, parsePatch } from 'diff';
import { WorkspaceGuard } from '../agents';
import type { OrchestratorConfig } from '../project/config';
import type { Artifact } from './types';

export interface ArtifactPreview {
  /** The unified diff of the change. */
  diff: string;
  added: number;
  removed: number;
  files: { path: string; status: 'added' | 'modified' | 'deleted' }[];
  /** Why the workspace file could not be compared (refused by the guard, a folder…). */
  note?: string;
}

/** Undefined for artifacts that change no file (text, screenshot). */
export async function previewArtifact(
  workspace: string,
  config: OrchestratorConfig,
  artifact: Artifact,
): Promise<ArtifactPreview | undefined> {
  if (artifact.type === 'diff') return countDiff(artifact.content);
  if (artifact.type !== 'code' || !artifact.path) return undefined;
  const guard = await WorkspaceGuard.create(workspace, [], config.privacy.deny);
  const readable = await guard.checkRead(artifact.path);
  let current: string | undefined;
  let note: string | undefined;
  if (!readable.ok) note = readable.reason;
  else if (existsSync(readable.abs)) {
    if ((await lstat(readable.abs)).isFile()) current = await readFile(readable.abs, 'utf8');
    else note = `${JSON.stringify(artifact.path)} is a folder in the workspace: approving it will be refused`;
  }
  // jsdiff starts with a line of `=`: not part of a unified diff as git prints one.
  const diff = createTwoFilesPatch(
    current === undefined ? '/dev/null' : `a/${artifact.path}`,
    `b/${artifact.path}`,
    current ?? '',
    artifact.content,
    undefined,
    undefined,
    { context: 3 },
  ).replace(/^=+\n/, '');
  return {
    ...countDiff(diff),
    files: [{ path: artifact.path, status: current === undefined ? 'added' : 'modified' }],
    ...(note ? { note } : {}),
  };
}

function countDiff(diff: string): ArtifactPreview {
  let patches;
  try {
    patches = parsePatch(diff);
  } catch (error) {
    return { diff, added: 0, removed: 0, files: [], note: `the diff does not parse: ${(error as Error).message}` };
  }
  let added = 0;
  let removed = 0;
  const files: ArtifactPreview['files'] = [];
  for (const patch of patches) {
    for (const hunk of patch.hunks) {
      for (const line of hunk.lines) {
        if (line.startsWith('+')) added++;
        else if (line.startsWith('-')) removed++;
      }
    }
    const from = patch.oldFileName === '/dev/null' ? undefined : patch.oldFileName?.replace(/^a\//, '');
    const to = patch.newFileName === '/dev/null' ? undefined : patch.newFileName?.replace(/^b\//, '');
    const path = to ?? from;
    if (path) files.push({ path, status: !from ? 'added' : !to ? 'deleted' : 'modified' });
  }
  return { diff, added, removed, files };
}
