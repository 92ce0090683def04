import { loadConfig } from './config';

/**
 * Whether a run goes to the pool of workers instead of running here (issue 72: decided once, for
 * the CLI and VS Code alike): asked for (`--pool`); never when the user asked for a worktree here
 * (`--worktree`, the editor's worktree commands); else as the config says (`runs.dispatch: pool`).
 * A broken config runs here, where its error is shown.
 */
export async function goesToPool(workspace: string, asked: { pool?: boolean; worktree?: boolean }): Promise<boolean> {
  if (asked.pool) return true;
  if (asked.worktree) return false;
  const config = await loadConfig(workspace).catch(() => undefined);
  return config?.runs.dispatch === 'pool';
}
