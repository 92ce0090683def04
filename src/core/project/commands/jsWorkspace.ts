/**
 * The packages of a JavaScript workspace (npm, pnpm, yarn, bun, lerna): what `pnpm --filter
 * web`, `npm -w web` and `yarn workspace web` select, and what the census proposes. Read by the
 * workspaces room (src/core/workspaces, dist/workspaces.js: @manypkg/tools), loaded only when the
 * root has a file a JS workspace is declared in; the last reading is kept here for the
 * synchronous trust rule (commandSafety).
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { type JsWorkspace, type PackageManager, workspacesRoom } from '../../workspaces';

export type { JsWorkspace, PackageManager };

/** The last reading per workspace, for the synchronous command readers (refreshed by each loadJsWorkspace). */
const lastRead = new Map<string, JsWorkspace | undefined>();

/**
 * The files every tool @manypkg/tools knows a root by reads first (npm, yarn and bun: package.json;
 * pnpm: pnpm-workspace.yaml; lerna: lerna.json): without one there is no JS workspace to read.
 */
const DECLARING_FILES = ['package.json', 'pnpm-workspace.yaml', 'lerna.json'];

/** The workspace's packages; undefined when the root declares none. Throws when a package has no name. */
export async function loadJsWorkspace(workspace: string): Promise<JsWorkspace | undefined> {
  // A Go, Python or Rust repository never loads the room.
  const found = (await declaresAny(workspace)) ? await workspacesRoom().readJsWorkspace(workspace) : undefined;
  lastRead.set(workspace, found);
  return found;
}

/** What the last loadJsWorkspace of this workspace found (nothing before the first). */
export function lastJsWorkspace(workspace: string): JsWorkspace | undefined {
  return lastRead.get(workspace);
}

async function declaresAny(workspace: string): Promise<boolean> {
  const present = await Promise.all(
    DECLARING_FILES.map((file) =>
      access(join(workspace, file)).then(
        () => true,
        () => false,
      ),
    ),
  );
  return present.includes(true);
}
