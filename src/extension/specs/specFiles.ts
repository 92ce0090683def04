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
