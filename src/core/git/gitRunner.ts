import { simpleGit, type SimpleGit } from 'simple-git';

/**
 * simple-git 4 strips ambient GIT_* variables and rejects explicitly supplied "guarded"
 * ones (GIT_*, EDITOR, PAGER, …) unless they are allow-listed. We only ever add our own
 * GIT_* variables, so the base environment drops every guarded key and the extras are
 * allow-listed by name.
 */
const GUARDED_PLAIN_KEYS = new Set(['editor', 'pager', 'prefix', 'ssh_askpass', 'visual']);

function unguardedProcessEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    const lower = key.toLowerCase();
    if (value === undefined || lower.startsWith('git') || GUARDED_PLAIN_KEYS.has(lower)) continue;
    env[key] = value;
  }
  return env;
}

/** A simple-git client rooted at `dir`, optionally with extra GIT_* variables (temp index, identity). */
export function gitAt(dir: string, extraEnv: Record<string, string> = {}): SimpleGit {
  const keys = Object.keys(extraEnv);
  const git = simpleGit({ baseDir: dir, allowEnvironment: keys });
  if (keys.length > 0) git.env({ ...unguardedProcessEnv(), ...extraEnv });
  return git;
}

/** Fixed identity for checkpoint commits, so they work without user.name/user.email configured. */
export const CHECKPOINT_IDENTITY: Record<string, string> = {
  GIT_AUTHOR_NAME: 'Orchestrator',
  GIT_AUTHOR_EMAIL: 'orchestrator@localhost',
  GIT_COMMITTER_NAME: 'Orchestrator',
  GIT_COMMITTER_EMAIL: 'orchestrator@localhost',
};

/** Splits a long list so one git invocation never exceeds the OS argument limits. */
export function inChunks<T>(items: readonly T[], size = 500): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
