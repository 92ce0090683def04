/**
 * Where the workspace keeps Kiro and Spec Kit spec folders (docs/import.md): `.kiro/specs/{name}/` and Spec Kit's `specs/NNN-name/`, at the root or in a
 * sub-project one or two folders down (`app/.kiro/specs/…`, `platform/billing/specs/002-…/`).
 * Only those places are looked at, never the whole tree, so `specs` stays quick on a large
 * repository. A leaf of the engine: which files a folder holds decides its format
 * (foreignFormat.ts); reading them is the import room's job (foreignList.ts).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { foreignFormat } from './foreignFormat';

export interface ForeignFolder {
  /** Workspace-relative with forward slashes: the folder `approve` takes. */
  dir: string;
  format: 'kiro' | 'speckit';
}

/** The folders that hold spec folders, under a project root. */
const SPEC_PARENTS = ['.kiro/specs', 'specs'];
/** Never sub-projects: dependencies, build output, our own specs. */
const NOT_PROJECTS = new Set([
  'node_modules',
  'vendor',
  'dist',
  'build',
  'out',
  'target',
  'coverage',
  'spec',
  'specs',
  'bin',
  'obj',
  'tmp',
  'logs',
  '__pycache__',
]);

/** Every Kiro and Spec Kit spec folder of the workspace (Mustard's are listed on their own), by path. */
export async function findForeignFolders(workspace: string): Promise<ForeignFolder[]> {
  const projects = ['', ...(await subfolders(workspace, ''))];
  const nested = await Promise.all(projects.filter((p) => p !== '').map((p) => subfolders(workspace, p)));
  const roots = [...projects, ...nested.flat()];
  const found = await Promise.all(
    roots.flatMap((root) =>
      SPEC_PARENTS.map(async (parent) => {
        const base = root ? `${root}/${parent}` : parent;
        const names = await directories(join(workspace, base));
        return names.flatMap((name): ForeignFolder[] => {
          const dir = `${base}/${name}`;
          const format = foreignFormat(join(workspace, dir));
          return format === 'kiro' || format === 'speckit' ? [{ dir, format }] : [];
        });
      }),
    ),
  );
  return found.flat().sort((a, b) => a.dir.localeCompare(b.dir));
}

/** Sub-project candidates under `rel`: visible folders that are not dependencies or build output. */
async function subfolders(workspace: string, rel: string): Promise<string[]> {
  const names = await directories(join(workspace, rel));
  return names.filter((n) => !n.startsWith('.') && !NOT_PROJECTS.has(n)).map((n) => (rel ? `${rel}/${n}` : n));
}

async function directories(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name);
}
