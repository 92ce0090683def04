/**
 * The packages of a JavaScript workspace (npm, pnpm, yarn, bun, lerna), read by
 * @manypkg/tools from the root's own files only (never a parent folder's): what `pnpm
 * --filter web`, `npm -w web` and `yarn workspace web` select, and what the census proposes.
 * In the workspaces room: @manypkg/tools brings jju, tinyglobby and fdir, which nothing else needs.
 */
import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

export interface JsWorkspace {
  /** The tool the workspace is declared for (lerna's packages run with npm). */
  manager: PackageManager;
  /** Workspace-relative package folder → package name. */
  members: Map<string, string>;
}

/** The workspace's packages; undefined when the root declares none. Throws when a package has no name. */
export async function readJsWorkspace(workspace: string): Promise<JsWorkspace | undefined> {
  // An ES module: loaded on first use (bundled by esbuild all the same).
  const { BunTool, LernaTool, NpmTool, PnpmTool, YarnTool } = await import('@manypkg/tools');
  // The tools know a root by its lockfile too; a repository without one (not installed yet) is read as npm's.
  const tools = [PnpmTool, YarnTool, NpmTool, BunTool, LernaTool];
  let tool = await firstAsync(tools, (t) => t.isMonorepoRoot(workspace).catch(() => false));
  if (!tool && (await declaresWorkspaces(workspace))) tool = NpmTool;
  if (!tool) return undefined;
  const packages = await tool.getPackages(workspace);
  const members = new Map<string, string>();
  for (const pkg of packages.packages) {
    const dir = relative(workspace, pkg.dir).split(sep).join('/');
    if (dir !== '' && !dir.startsWith('..')) members.set(dir, pkg.packageJson.name);
  }
  return { manager: tool.type === 'lerna' ? 'npm' : (tool.type as PackageManager), members };
}

async function firstAsync<T>(items: readonly T[], test: (item: T) => Promise<boolean>): Promise<T | undefined> {
  for (const item of items) if (await test(item)) return item;
  return undefined;
}

async function declaresWorkspaces(workspace: string): Promise<boolean> {
  try {
    const json = JSON.parse(await readFile(join(workspace, 'package.json'), 'utf8')) as { workspaces?: unknown };
    return Array.isArray(json.workspaces) || (typeof json.workspaces === 'object' && json.workspaces !== null);
  } catch {
    return false;
  }
}
