/**
 * Codex's own controls for one agent, as `--config` overrides (docs/runners.md "Codex"): a
 * permission profile whose writable paths are the folders the layer owns (everything else in the
 * worktree readable only, the protected paths too, denied files unreadable), no network, and
 * approvals never. A read-only role gets Codex's built-in `:read-only` profile. Permission
 * profiles and `--sandbox` do not compose, so the runner never passes `--sandbox`.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROTECTED_GLOBS } from '../../project/config';

export const PROFILE_NAME = 'orchestrator';

/** A TOML basic string (JSON's escapes are TOML's for what a path or glob holds). */
const tomlString = (value: string): string => JSON.stringify(value);

/** What Codex's glob syntax surely reads as we mean it; anything else stays to our own gate. */
const PLAIN_GLOB = /^[A-Za-z0-9._*/@+-]+$/;

/**
 * The folder (or file) an owns glob can write under: its literal prefix up to the last `/`
 * before the first wildcard. `server/**` → `server`, `web/src/**\/*.ts` → `web/src`,
 * `package.json` → `package.json`, `**\/*.py` → `.` (the whole worktree: Codex cannot narrow it;
 * our owns gate still reverts the rest).
 */
export function writableRootOf(glob: string): string {
  const wild = glob.search(/[*?[{]/);
  if (wild === -1) return glob.replace(/\/+$/, '') || '.';
  const prefix = glob.slice(0, wild);
  const slash = prefix.lastIndexOf('/');
  return slash <= 0 ? '.' : prefix.slice(0, slash);
}

export interface CodexControls {
  /** `--config` overrides in `key=value` form (the SDK's `configOverrides`). */
  configOverrides: string[];
}

/**
 * Codex's sandbox mounts each listed path, so a path must exist: a folder the layer owns is made
 * (empty, so git sees no change) before the turn, and a missing file or protected path is left
 * out (our own gate still covers it). `worktree` is where the paths are checked.
 */
export function codexControls(options: {
  readOnly: boolean;
  owns: readonly string[];
  deny: readonly string[];
  worktree: string;
}): CodexControls {
  const base = ['approval_policy="never"', 'sandbox_workspace_write.network_access=false', 'web_search="disabled"'];
  if (options.readOnly) return { configOverrides: [...base, 'default_permissions=":read-only"'] };
  const roots = new Map<string, string>([['.', 'read']]);
  for (const glob of options.owns) {
    const root = writableRootOf(glob);
    const full = join(options.worktree, root);
    if (root !== glob && !existsSync(full)) mkdirSync(full, { recursive: true });
    if (existsSync(full)) roots.set(root, 'write');
  }
  // Codex already keeps .git read-only; .claude, .vscode and .gitignore are ours to protect.
  for (const glob of PROTECTED_GLOBS) {
    const path = glob.replace(/\/\*\*$/, '');
    if (existsSync(join(options.worktree, path))) roots.set(path, 'read');
  }
  for (const glob of options.deny) if (PLAIN_GLOB.test(glob)) roots.set(glob, 'none');
  const workspace = [...roots].map(([path, access]) => `${tomlString(path)}=${tomlString(access)}`).join(', ');
  const filesystem = `{":root"="read", ":tmpdir"="write", ":slash_tmp"="write", ":workspace_roots"={${workspace}}}`;
  return {
    configOverrides: [
      ...base,
      `default_permissions="${PROFILE_NAME}"`,
      `permissions.${PROFILE_NAME}={filesystem=${filesystem}}`,
    ],
  };
}
