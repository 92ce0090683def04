/** Set API Key, Sync Registry, Initialize Workspace, Show Log. */
import { requireTrust } from '../host/trust';
import type { Services } from '../services';

export const setApiKey = (s: Services) => s.keys.prompt();
export const setOpenAIKey = (s: Services) => s.openaiKeys.prompt();

export const showLog = (s: Services) => s.log.show();

/** Sync runs the workspace's own scripts: trusted workspaces only. */
export async function syncRegistry(s: Services): Promise<void> {
  if (!requireTrust('Sync Registry')) return;
  const folder = await s.folders.pick('sync the registry of');
  if (!folder) return;
  await s.runs.run({ kind: 'sync', label: 'Sync registry', workspace: folder.uri.fsPath, needsKey: false, execute: (o) => s.engine.syncRegistry(o) });
}

/** Initialize Workspace: the census's proposal in the sidebar, to edit and accept there. */
export async function initWorkspace(s: Services): Promise<void> {
  const folder = await s.folders.pick('initialize');
  if (!folder) return;
  await s.init.propose(folder);
}
