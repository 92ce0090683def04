/**
 * The sandbox `init`'s verification runs each command in: the one a run's validate command gets
 * (process/commandSandbox.ts: the work writable, a private HOME and /tmp, the user's checkout hidden
 * but the dependency folders linked from it readable, no network but what the config names, the
 * toolchains on PATH and what their executables link to), so a command that passed at `init` passes
 * in the run. None where a run would run it unconfined: `sandbox: off` in the workspace's config,
 * or no sandbox on this machine (there a run with `sandbox: required` stops before any command, and
 * with `sandbox: off` runs it unconfined, as verification then does).
 */
import { join } from 'node:path';
import { commandSandbox, type CommandSandbox } from '../../process';
import { loadConfig } from '../../project/config';
import { sandboxSupport } from '../../sandbox';

export interface ConfinedPlace {
  /** Where the commands run. */
  cwd: string;
  /** The work (the throwaway worktree, or the folder itself outside git) first, then the caches' folder. */
  writable: readonly [string, ...string[]];
  /** The user's checkout (the repository's top level), hidden, when the work is a worktree of it. */
  checkout?: string;
  /** The dependency folders linked from the checkout (relative to it): readable, as `worktree.link` in a run. */
  links: readonly string[];
}

export async function verifyConfinement(workspace: string, place: ConfinedPlace): Promise<CommandSandbox | undefined> {
  const config = await loadConfig(workspace).catch(() => undefined);
  const setting = config?.sandbox ?? { mode: 'required' as const, network: [] };
  if (setting.mode === 'off' || !(await sandboxSupport()).available) return undefined;
  const [work, ...more] = place.writable;
  const policy = commandSandbox(
    { sandbox: setting, worktree: { link: place.links }, layers: {} },
    {
      workspace: place.cwd,
      command: 'init verification',
      ...(place.checkout ? { worktree: work, checkout: place.checkout } : {}),
    },
  );
  if (!policy) return undefined;
  // The repository's git folder, read-only, as an in-place run's commands see it: a test that calls git works.
  const git = place.checkout ? [join(place.checkout, '.git')] : [];
  return { ...policy, writable: [...policy.writable, ...more], readOnly: [...(policy.readOnly ?? []), ...git] };
}
