/**
 * Finding and loading `.claude/workspace.yaml`: in the folder a command runs in or any folder above
 * it (a parent folder of the members, or one member naming the others by relative paths). Each
 * member on this machine must be a git repository; the members' order is producers first.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { checkSchema, formatKeyPath, type ParsedSource, parseYamlSource, ProjectFileError } from '../sources';
import { memberOrder } from './memberOrder';
import { type MemberUse, workspaceSchema } from './workspaceSchema';

export const WORKSPACE_FILE = '.claude/workspace.yaml';

export interface WorkspaceMember {
  name: string;
  /** Absolute, when the member is on this machine. */
  path?: string;
  github?: string;
  /** Its own `.claude/orchestrator.yaml` is there. */
  configured: boolean;
}

export interface ChangeSetWorkspace {
  /** The folder holding `.claude/workspace.yaml`. */
  root: string;
  file: string;
  /** Producers first (memberOrder.ts). */
  members: WorkspaceMember[];
  uses: MemberUse[];
}

/** The folder holding a workspace file, from `start` up; undefined when there is none. */
export function findWorkspaceRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, WORKSPACE_FILE))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Loads the workspace file under `root`; throws ProjectFileError naming the file, line and key. */
export async function loadWorkspace(root: string): Promise<ChangeSetWorkspace> {
  const file = join(root, WORKSPACE_FILE);
  const source = parseYamlSource(await readFile(file, 'utf8'), file);
  if (source.value === null || source.value === undefined) source.value = {};
  const parsed = checkSchema(workspaceSchema, source);
  const names = Object.keys(parsed.repositories);
  const ordered = memberOrder(names, parsed.uses);
  if ('cycle' in ordered) {
    const at = parsed.uses.findIndex((u) => u.consumer === ordered.cycle[0] && u.producer === ordered.cycle[1]);
    throw located(source, ['uses', at], `the members use each other in a circle: ${ordered.cycle.join(' → ')}`);
  }
  const members = ordered.order.map((name) => member(source, root, name, parsed.repositories[name]!));
  return { root, file, members, uses: parsed.uses };
}

function member(
  source: ParsedSource,
  root: string,
  name: string,
  entry: { path?: string; github?: string },
): WorkspaceMember {
  const found: WorkspaceMember = { name, configured: false, ...(entry.github ? { github: entry.github } : {}) };
  if (entry.path === undefined) return found;
  const path = resolve(root, entry.path);
  const key = ['repositories', name, 'path'];
  if (!isDirectory(path)) throw located(source, key, `${entry.path} is no folder (from ${root})`);
  if (!existsSync(join(path, '.git')))
    throw located(source, key, `${entry.path} is no git repository: run \`git init\` there, or name another folder`);
  return { ...found, path, configured: existsSync(join(path, '.claude', 'orchestrator.yaml')) };
}

function located(source: ParsedSource, key: (string | number)[], message: string): ProjectFileError {
  const at = source.locate(key);
  return new ProjectFileError(
    { file: source.file, line: at.line, column: at.column, key: formatKeyPath(key) },
    message,
  );
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A member's path as the workspace file writes it: relative to the folder holding `.claude/`. */
export function memberPath(root: string, path: string): string {
  return relative(root, path) || '.';
}
