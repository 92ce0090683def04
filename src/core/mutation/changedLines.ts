/**
 * The lines a run changed against its base: the added side of the git room's diff from the
 * checkpoint to the work tree as it is, per file. Only these lines are mutated (issue 61).
 */
import { diffSinceCheckpoint } from '../git';
import type { ChangedLines } from './types';

/** Each file's changed lines since `baseRef` (among `paths`), sorted by path; deleted files have none. */
export async function changedLines(
  workspace: string,
  baseRef: string,
  paths?: readonly string[],
): Promise<ChangedLines[]> {
  return linesOfPatch(await diffSinceCheckpoint(workspace, baseRef, paths));
}

/** The added lines of a unified diff, as ranges of the new side of each file. */
export function linesOfPatch(patch: string): ChangedLines[] {
  const files = new Map<string, number[]>();
  let path: string | undefined;
  let line = 0;
  for (const text of patch.split('\n')) {
    if (text.startsWith('+++ ')) {
      path = text === '+++ /dev/null' ? undefined : text.slice(4).replace(/^b\//, '');
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (hunk) {
      line = Number(hunk[1]);
      continue;
    }
    if (!path || line === 0) continue;
    if (text.startsWith('+')) files.set(path, [...(files.get(path) ?? []), line++]);
    else if (text.startsWith(' ')) line++;
    else if (text.startsWith('diff --git ')) line = 0;
  }
  return [...files]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([file, lines]) => ({ path: file, ranges: rangesOf(lines) }));
}

/** Sorted line numbers as inclusive ranges of consecutive lines. */
function rangesOf(lines: readonly number[]): ChangedLines['ranges'] {
  const ranges: ChangedLines['ranges'] = [];
  for (const n of lines) {
    const last = ranges.at(-1);
    if (last && last.end + 1 === n) last.end = n;
    else ranges.push({ start: n, end: n });
  }
  return ranges;
}
