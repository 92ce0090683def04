/**
 * What a run changed, for the review agent and for the user: from the git checkpoint when
 * there is one, else from the journal's file events (content as it is now).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChangedFile } from '../../api';
import { changedFiles, diffSinceCheckpoint } from '../../git';
import { filesChanged, type RunState } from '../../journal';

/** Longest diff a review agent is sent; the rest it can read with its tools. */
export const MAX_REVIEW_DIFF_CHARS = 80_000;

/** The files the run touched that differ from the checkpoint (all touched files without one). */
export async function runChangedFiles(workspace: string, state: RunState): Promise<ChangedFile[]> {
  const touched = filesChanged(state);
  if (state.checkpoint) return changedFiles(workspace, state.checkpoint.ref, touched);
  const status = (path: string): ChangedFile['status'] =>
    state.files.created.includes(path) ? 'added' : state.files.deleted.includes(path) ? 'deleted' : 'modified';
  return touched.map((path) => ({ path, status: status(path) }));
}

/** The unified diff of the run's files since the checkpoint; without one, their current content. */
export async function runDiff(workspace: string, state: RunState): Promise<string> {
  const touched = filesChanged(state);
  const diff = state.checkpoint
    ? await diffSinceCheckpoint(workspace, state.checkpoint.ref, touched)
    : await contentListing(workspace, state);
  return diff.length > MAX_REVIEW_DIFF_CHARS
    ? `${diff.slice(0, MAX_REVIEW_DIFF_CHARS)}\n… (diff cut at ${MAX_REVIEW_DIFF_CHARS} characters; read the files for the rest)`
    : diff;
}

async function contentListing(workspace: string, state: RunState): Promise<string> {
  const parts: string[] = ['# No git checkpoint: the files the run changed, as they are now.'];
  for (const file of await runChangedFiles(workspace, state)) {
    if (file.status === 'deleted') {
      parts.push(`--- ${file.path} (deleted)`);
      continue;
    }
    const text = await readFile(join(workspace, file.path), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    parts.push(
      `+++ ${file.path} (${file.status === 'added' ? 'created' : 'modified'})\n${text
        .split('\n')
        .map((line) => `+${line}`)
        .join('\n')}`,
    );
  }
  return parts.join('\n');
}
