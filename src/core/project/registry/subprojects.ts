import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Folders never searched for subprojects: dependencies, build output, tool caches. */
const SKIPPED = new Set([
  'node_modules',
  'dist',
  'build',
  'out',
  'target',
  'vendor',
  'bin',
  'obj',
  'coverage',
  '__pycache__',
  'venv',
  'env',
  'spec',
  'specs',
]);

/** How deep subprojects sit (`apps/dashboard` is 2, a git submodule usually 1), and how many folders we look into at most. */
const MAX_DEPTH = 2;
const MAX_FOLDERS = 1000;

/**
 * Workspace-relative folders below the root that hold `.claude/{file}` — subprojects of a
 * monorepo with their own registry (`apps/dashboard/.claude/entity-registry.json`). Hidden
 * folders and the usual dependency and build folders are not searched; the walk is bounded,
 * so a huge tree costs at most a thousand directory reads. Sorted for a stable order.
 */
export async function subprojectsWith(workspace: string, file: string): Promise<string[]> {
  const found: string[] = [];
  let budget = MAX_FOLDERS;
  let level = [''];
  for (let depth = 0; depth <= MAX_DEPTH && level.length > 0; depth++) {
    const next: string[] = [];
    for (const folder of level) {
      if (budget-- <= 0) break;
      const entries = await readdir(join(workspace, folder), { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (!entry.isDirectory()) continue;
        if (entry.name === '.claude' && folder !== '' && (await hasFile(join(workspace, folder, '.claude'), file)))
          found.push(folder);
        if (depth < MAX_DEPTH && !entry.name.startsWith('.') && !SKIPPED.has(entry.name))
          next.push(folder ? `${folder}/${entry.name}` : entry.name);
      }
    }
    level = next;
  }
  return found.sort();
}

async function hasFile(folder: string, file: string): Promise<boolean> {
  const names = await readdir(folder).catch(() => [] as string[]);
  return names.includes(file);
}
