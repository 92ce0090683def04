/**
 * In a JavaScript workspace, a package whose tests import a sibling package through its build
 * output (its `main`, `module`, `types` or `exports` name files the repository does not hold:
 * `dist/index.js`) runs them only after that sibling is built — what the project's CI does with a
 * `pnpm build` before `pnpm test`. The siblings to build, dependencies first, each with its own
 * `build` script: the layer's validate builds them before its tests, and its proof command too.
 */
import { join } from 'node:path';
import { fileHead } from '../files/fileHead';
import type { FileIndex } from '../files/fileIndex';
import { isUsableScript } from './packageCommands';
import type { Project } from '../types';

export async function siblingBuilds(
  workspace: string,
  project: Project,
  projects: readonly Project[],
  files: FileIndex,
): Promise<Project[]> {
  const order: Project[] = [];
  const seen = new Set<Project>([project]);
  const visit = async (of: Project, depth: number): Promise<void> => {
    if (depth > 8) return;
    for (const name of of.dependencies ?? []) {
      const sibling = projects.find((p) => p.ecosystem === 'node' && p.name === name && p !== of);
      if (!sibling || seen.has(sibling)) continue;
      seen.add(sibling);
      await visit(sibling, depth + 1);
      if (isUsableScript(sibling.scripts.build) && (await importsBuildOutput(workspace, sibling, files)))
        order.push(sibling);
    }
  };
  await visit(project, 0);
  return order;
}

/** Whether the package's entry points are files the repository does not hold (they are built). */
async function importsBuildOutput(workspace: string, project: Project, files: FileIndex): Promise<boolean> {
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(await fileHead(join(workspace, project.manifest), 262_144)) as Record<string, unknown>;
  } catch {
    return false;
  }
  const entries = [
    manifest.main,
    manifest.module,
    manifest.types,
    manifest.typings,
    ...entryStrings(manifest.exports),
  ].filter((e): e is string => typeof e === 'string' && !e.endsWith('package.json'));
  const inRepo = (entry: string) => {
    const path = join(project.dir, entry).replace(/\\/g, '/').replace(/^\.\//, '');
    return entry.includes('*') ? files.any(path.slice(0, path.indexOf('*'))) : files.has(path);
  };
  return entries.length > 0 && !entries.some(inRepo);
}

function entryStrings(exports: unknown): unknown[] {
  if (typeof exports === 'string') return [exports];
  if (exports === null || typeof exports !== 'object') return [];
  return Object.values(exports as Record<string, unknown>).flatMap(entryStrings);
}
