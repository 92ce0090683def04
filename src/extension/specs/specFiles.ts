/** Where a spec's markdown lives, from the path the engine reports (absolute or relative, dir or file). */
import * as path from 'node:path';

export function specFilePath(workspace: string, specPath: string): string {
  const absolute = path.isAbsolute(specPath) ? specPath : path.join(workspace, specPath);
  return absolute.endsWith('.md') ? absolute : path.join(absolute, 'spec.md');
}

/** Resolves a workspace-relative path and refuses anything outside the workspace. */
export function insideWorkspace(workspace: string, relative: string): string | undefined {
  const root = path.resolve(workspace);
  const target = path.resolve(root, relative);
  return target === root || target.startsWith(root + path.sep) ? target : undefined;
}

/**
 * The file patterns with every folder on their way (Kiro's `.kiro/specs/<name>/<file>.md` also
 * watches `.kiro`, `.kiro/specs` and `.kiro/specs/<name>`): a file watcher misses what is written
 * at once in a folder it has not seen yet (a Kiro folder written whole, a change-set's folder with
 * its record), and a new folder's own event refreshes the list, which reads the disk.
 */
export function watchedWithFolders(patterns: readonly string[]): string[] {
  const all = new Set<string>();
  for (const pattern of patterns) {
    const parts = pattern.split('/');
    // `**` alone is no folder of ours; the last part is the files themselves.
    for (let n = 2; n < parts.length; n++) all.add(parts.slice(0, n).join('/'));
    all.add(pattern);
  }
  return [...all];
}
