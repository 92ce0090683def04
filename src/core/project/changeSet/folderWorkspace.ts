/**
 * A VS Code multi-root workspace as a workspace of repositories (issue 73): given its folders, the
 * same model as `.claude/workspace.yaml`. A workspace file in one of the folders or a folder above
 * them is theirs (the user's own members and edges). Without one, the folders that are git
 * repositories (two or more) are the members, each named by its folder, with the edges `init`
 * proposes from what they say of each other; the set lives in their nearest common folder, where
 * that proposal is written as the workspace file before a change-set runs there.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, parse, resolve, sep } from 'node:path';
import { type WorkspaceProposal, proposeForFolders } from './proposeWorkspace';
import { findWorkspaceRoot, WORKSPACE_FILE } from './workspaceFile';
import { WORKSPACE_SCHEMA_FILE, workspaceSchemaText } from './workspaceJsonSchema';

export type FolderWorkspace =
  /** A workspace file found in a folder or above: its folder. */
  | { root: string; file: string }
  /** None: the folders' own, proposed for their nearest common folder (`root`), not written yet. */
  | { root: string; proposal: WorkspaceProposal };

/** The folders' workspace of repositories; undefined when fewer than two are git repositories and no file names them. */
export function workspaceOfFolders(folders: readonly string[]): FolderWorkspace | undefined {
  for (const folder of folders) {
    const root = findWorkspaceRoot(folder);
    if (root) return { root, file: join(root, WORKSPACE_FILE) };
  }
  const repos = [...new Set(folders.map((f) => resolve(f)))].filter((f) => existsSync(join(f, '.git')));
  const root = commonFolder(repos);
  if (repos.length < 2 || !root) return undefined;
  const taken = new Set<string>();
  const named = repos.map((dir) => {
    // Two folders of one name (`a/web`, `b/web`): the second is `web-2`.
    const base = basename(dir).replace(/[^\w.-]/g, '-') || 'repo';
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    taken.add(name);
    return { name, dir };
  });
  const proposal = proposeForFolders(root, named);
  return proposal ? { root, proposal } : undefined;
}

/**
 * The proposal written where a change-set of these folders lives, with the schema its first line
 * names, never over a file there: the path of the workspace file, as `init` writes it.
 */
export async function writeFolderWorkspace(found: Extract<FolderWorkspace, { proposal: unknown }>): Promise<string> {
  await mkdir(join(found.root, '.claude'), { recursive: true });
  const schema = join(found.root, WORKSPACE_SCHEMA_FILE);
  if (!existsSync(schema)) await writeFile(schema, workspaceSchemaText());
  const file = join(found.root, WORKSPACE_FILE);
  await writeFile(file, `${found.proposal.text}\n`, { flag: 'wx' });
  return file;
}

/** The nearest folder holding every one; undefined when only the file system's root does (no place for a set). */
function commonFolder(dirs: readonly string[]): string | undefined {
  if (dirs.length === 0) return undefined;
  let common = dirname(dirs[0]!);
  while (!dirs.every((d) => d === common || d.startsWith(common.endsWith(sep) ? common : common + sep))) {
    const up = dirname(common);
    if (up === common) break;
    common = up;
  }
  return common === parse(common).root ? undefined : common;
}
