/**
 * Whether this machine can sandbox, probed once per process and honest about why not: on Linux
 * bubblewrap must be installed and able to make its namespaces (tried for real), socat must be
 * there for the network relays; on macOS `sandbox-exec`; Windows has none.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { NAMESPACE_FLAGS } from './bwrapArgs';
import { systemLayout } from './system';
import type { SandboxSupport } from './types';

export interface SandboxTools {
  bwrap?: string;
  socat?: string;
  sandboxExec?: string;
  /** For endpoints below port 1024 (lowPorts.ts). */
  unshare?: string;
  ip?: string;
}

/** What each kind enforces (for `runners`, `doctor` and the sidebar). */
export const ENFORCES: Record<'bubblewrap' | 'seatbelt', readonly string[]> = {
  bubblewrap: [
    'writes only to the work, a private home and a private /tmp',
    'no read of HOME, the checkout, other worktrees or runs',
    'network only to the hosts named (loopback included)',
    'own PID namespace: nothing outlives it, no other process visible',
  ],
  seatbelt: [
    'writes only to the work, a private home and a private temp folder',
    'no read of HOME, the checkout, other worktrees or runs',
    'network only to the loopback ports named; named hosts by port',
  ],
};

export function findOnPath(name: string, pathVariable = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathVariable.split(delimiter).filter(Boolean)) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

function readSysctl(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Why user namespaces fail here, from the kernel's switches, as what to change. */
function userNamespaceAdvice(): string | undefined {
  if (readSysctl('/proc/sys/kernel/unprivileged_userns_clone') === '0')
    return 'user namespaces are disabled: sysctl -w kernel.unprivileged_userns_clone=1';
  if (readSysctl('/proc/sys/user/max_user_namespaces') === '0')
    return 'user namespaces are disabled: sysctl -w user.max_user_namespaces=15000';
  if (readSysctl('/proc/sys/kernel/apparmor_restrict_unprivileged_userns') === '1')
    return 'AppArmor restricts user namespaces: sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 (or give bwrap an AppArmor profile)';
  return undefined;
}

function run(file: string, args: string[]): Promise<{ ok: boolean; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 10_000 }, (error, _stdout, stderr) =>
      resolve({ ok: !error, stderr: String(stderr) }),
    );
  });
}

/** Tries bubblewrap with the namespaces and flags every sandbox uses. */
async function probeBubblewrap(bwrap: string): Promise<string | undefined> {
  const layout = systemLayout();
  const args = [...NAMESPACE_FLAGS];
  for (const path of layout.binds) args.push('--ro-bind', path, path);
  for (const [target, path] of layout.symlinks) args.push('--symlink', target, path);
  args.push('--proc', '/proc', '--dev', '/dev', '--', '/bin/sh', '-c', 'exit 0');
  const { ok, stderr } = await run(bwrap, args);
  if (ok) return undefined;
  const detail = stderr.trim().split('\n')[0] ?? '';
  return (
    userNamespaceAdvice() ??
    `bubblewrap cannot make a sandbox here (${detail || 'it failed'}); it needs user namespaces`
  );
}

export async function detectSandboxSupport(platform: NodeJS.Platform, tools: SandboxTools): Promise<SandboxSupport> {
  if (platform === 'linux') {
    if (!tools.bwrap)
      return {
        available: false,
        kind: 'none',
        reason:
          'bubblewrap is not installed: install it (apt-get install bubblewrap, dnf install bubblewrap or pacman -S bubblewrap)',
      };
    if (!tools.socat)
      return {
        available: false,
        kind: 'none',
        reason:
          'socat is not installed (the sandbox relays its allowed connections with it): install it (apt-get install socat)',
      };
    const failure = await probeBubblewrap(tools.bwrap);
    if (failure) return { available: false, kind: 'none', reason: failure };
    return { available: true, kind: 'bubblewrap', enforces: ENFORCES.bubblewrap };
  }
  if (platform === 'darwin') {
    if (!tools.sandboxExec)
      return { available: false, kind: 'none', reason: 'sandbox-exec is missing from /usr/bin (it ships with macOS)' };
    return { available: true, kind: 'seatbelt', enforces: ENFORCES.seatbelt };
  }
  return {
    available: false,
    kind: 'none',
    reason: `no sandbox on ${platform === 'win32' ? 'Windows' : platform}: run in WSL2 with bubblewrap (apt-get install bubblewrap socat), or set sandbox: off`,
  };
}

/** The tools of this machine. ORCHESTRATOR_SANDBOX_BWRAP names bubblewrap's path (packagers, tests). */
export function machineTools(env: NodeJS.ProcessEnv = process.env): SandboxTools {
  const bwrap =
    env.ORCHESTRATOR_SANDBOX_BWRAP !== undefined
      ? env.ORCHESTRATOR_SANDBOX_BWRAP && isExecutable(env.ORCHESTRATOR_SANDBOX_BWRAP)
        ? env.ORCHESTRATOR_SANDBOX_BWRAP
        : undefined
      : findOnPath('bwrap', systemPath(env));
  const socat = findOnPath('socat', systemPath(env));
  const sandboxExec = isExecutable('/usr/bin/sandbox-exec') ? '/usr/bin/sandbox-exec' : undefined;
  const unshare = findOnPath('unshare', systemPath(env));
  const ip = findOnPath('ip', `${systemPath(env)}${delimiter}/usr/sbin${delimiter}/sbin`);
  return {
    ...(bwrap ? { bwrap } : {}),
    ...(socat ? { socat } : {}),
    ...(sandboxExec ? { sandboxExec } : {}),
    ...(unshare ? { unshare } : {}),
    ...(ip ? { ip } : {}),
  };
}

/** PATH plus the system folders, so a minimal PATH still finds /usr/bin/bwrap. */
function systemPath(env: NodeJS.ProcessEnv): string {
  return [env.PATH ?? '', '/usr/bin', '/bin', '/usr/local/bin'].join(delimiter);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

let cached: { key: string; support: Promise<SandboxSupport>; tools: SandboxTools } | undefined;

/**
 * This machine's support, probed once per process (per bubblewrap path); `again` probes anew, for
 * a host that just changed what the probe found (an Actions runner's AppArmor switch, issue 48).
 */
export function machineSupport(again = false): { support: Promise<SandboxSupport>; tools: SandboxTools } {
  const key = process.env.ORCHESTRATOR_SANDBOX_BWRAP ?? '';
  if (again || !cached || cached.key !== key) {
    const tools = machineTools();
    cached = { key, tools, support: detectSandboxSupport(process.platform, tools) };
  }
  return cached;
}
