/**
 * Where a CLI agent runs (issue 36, part 2): inside the sandbox room's door, for every runner
 * and role. Per turn the machinery asks the door for a launch of the CLI under the agent's
 * policy and writes it as a small launcher script beside the worktree (never inside anything
 * the agent can write); the adapter is handed the launcher as its program. So the same works
 * for a CLI we spawn ourselves and for one an SDK spawns (Codex, Claude Code's SDK): the SDK's
 * arguments follow the door's, and the CLI and everything it starts run confined.
 *
 * The policy: read-write the worktree, the private home and temp folder; read-only the agent's
 * git directory (nothing planted there for the next git call), the CLI's installation and the
 * `worktree.link` folders; the user's checkout hidden; network only the CLI's model endpoint.
 */
import { chmodSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, dirname, sep } from 'node:path';
import { launchSandboxed, type SandboxDenial, type SandboxPolicy } from '../../sandbox';

export interface AgentSandboxInput {
  /** `sandbox.mode` of the config. */
  mode: 'required' | 'off';
  /** The CLI's program, resolved. */
  command: string;
  /** The agent's environment (HOME and TMPDIR its private ones). */
  env: Record<string, string>;
  policy: Omit<SandboxPolicy, 'readOnly'> & { readOnly: readonly string[] };
}

export interface AgentSandbox {
  /** The program to hand the adapter: the launcher, or the CLI itself when the sandbox is off. */
  command: string;
  /** After the turn: stops the door's relays; what it refused, as the agent's tools reported it (`output`). */
  close(output: string): Promise<SandboxDenial[]>;
}

/** Where a launcher goes: beside the worktree, outside every folder the sandbox lets the agent write. */
export const launcherOf = (root: string): string => `${root}.launch`;

/** The program's real path: inside, only the real one is there (a link's folder is not bound). */
function realProgram(command: string): string {
  try {
    return realpathSync(command);
  } catch {
    return command; // not there: it fails to start inside, as it would outside
  }
}

/** The folder a CLI is installed in (given its real path): its package tree (the nearest node_modules), else its own folder. */
export function installationOf(real: string): string {
  const parts = real.split(sep);
  const modules = parts.lastIndexOf('node_modules');
  return modules > 0 ? parts.slice(0, modules + 1).join(sep) : dirname(real);
}

/** `host:port` of a model endpoint's URL (its default port when it names none); undefined for no URL or a bad one. */
export function endpointOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    const port = parsed.port || (parsed.protocol === 'http:' ? '80' : '443');
    return `${parsed.hostname}:${port}`;
  } catch {
    return undefined;
  }
}

const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

export async function sandboxAgent(root: string, input: AgentSandboxInput): Promise<AgentSandbox> {
  if (input.mode === 'off') return { command: input.command, close: async () => [] };
  const program = realProgram(input.command);
  const policy: SandboxPolicy = { ...input.policy, readOnly: [...input.policy.readOnly, installationOf(program)] };
  const launch = await launchSandboxed(program, [], input.env, policy);
  // Only what the door changed in the environment goes in the launcher (HOME, TMPDIR); the rest
  // is the adapter's to pass when it spawns the launcher, the CLI's sign-in variables among it.
  const changed = Object.entries(launch.env)
    .filter(([key, value]) => input.env[key] !== value)
    .map(([key, value]) => quote(`${key}=${value}`));
  const launcher = launcherOf(root);
  const script = `#!/bin/sh\n# ${basename(input.command)} for one turn of an agent, inside the sandbox (written by the orchestrator).\nexec /usr/bin/env ${changed.join(' ')} ${[launch.command, ...launch.args].map(quote).join(' ')} "$@"\n`;
  writeFileSync(launcher, script, { mode: 0o700 });
  chmodSync(launcher, 0o700);
  return { command: launcher, close: (output) => launch.close(output) };
}
