/**
 * On Linux, Codex's permission profiles apply patches through a helper it starts in its own
 * bubblewrap session (`codex … --codex-run-as-fs-helper`). When Codex ends abnormally (killed by
 * the budget, a cancel, kill -9) and sometimes even when it ends well, that helper outlives it,
 * reparented to init, for good. Before and after each turn the runner ends the helpers that serve
 * this agent's worktree: found by the worktree in their command line, so no other process (no
 * other agent's, no user's Codex) is touched.
 */
import { readdirSync, readFileSync } from 'node:fs';

const HELPER_FLAG = '--codex-run-as-fs-helper';

/** Pids of Codex helpers whose sandbox names `worktree`. */
export function leftoverHelpers(worktree: string): number[] {
  if (process.platform !== 'linux') return [];
  const found: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!args.includes(HELPER_FLAG)) continue;
    if (args.some((arg) => arg === worktree || arg.startsWith(`${worktree}/`) || arg.includes(`"${worktree}`)))
      found.push(Number(entry));
  }
  return found;
}

/** Ends them (SIGKILL: the helper, as its sandbox's pid 1, ignores SIGTERM). */
export function endLeftoverHelpers(worktree: string): void {
  for (const pid of leftoverHelpers(worktree)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
