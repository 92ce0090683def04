/**
 * Where a repository's durable team data lives: the queue's database (tasks, artifacts, decisions,
 * accounts, sessions, token hashes) and its approvals under way. Never in the working tree: a
 * `git clean -fdX` there (or a fresh clone) must not delete a team's accounts and queue. Run-time
 * scratch (journals of runs, locks, the outbox) stays in `.claude/runs/`.
 *
 * The user's data folder, one folder per repository (its real path's name and hash):
 * - Linux and the BSDs: `$XDG_DATA_HOME/orchestrator/` (default `~/.local/share/orchestrator/`);
 * - macOS: `~/Library/Application Support/orchestrator/`;
 * - Windows: `%LOCALAPPDATA%\orchestrator\`;
 * - anywhere: `ORCHESTRATOR_DATA_DIR` instead (a portable install, a test).
 * Folders are made 0700 (owner only): the database holds bcrypt and token hashes.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';

export const DATA_DIR_ENV = 'ORCHESTRATOR_DATA_DIR';

export function userDataHome(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env[DATA_DIR_ENV]) return env[DATA_DIR_ENV];
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local'), 'orchestrator');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'orchestrator');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'orchestrator');
}

/** `<folder name>-<12 hex of the SHA-256 of its real path>`: readable in a listing, distinct for two clones of one project. */
export function repositoryKey(workspace: string, platform: NodeJS.Platform = process.platform): string {
  const root = realpathSync(workspace);
  const hashed = platform === 'win32' || platform === 'darwin' ? root.toLowerCase() : root;
  const name =
    basename(root)
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .slice(0, 40) || 'root';
  return `${name}-${createHash('sha256').update(hashed).digest('hex').slice(0, 12)}`;
}

/** The repository's data folder (made, owner-only); `sub` a folder inside it. */
export function repositoryDataDir(workspace: string, sub?: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = join(userDataHome(env), repositoryKey(workspace), ...(sub ? [sub] : []));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}
