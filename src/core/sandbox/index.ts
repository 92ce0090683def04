/**
 * The sandbox room's one door (docs/security.md "The sandbox"): whether this
 * machine can sandbox, and a process tree launched under a policy. Linux drives bubblewrap
 * directly (bwrapArgs.ts) with socat relays for the allowed endpoints (relay.ts); macOS runs
 * `sandbox-exec` with a generated profile (seatbelt.ts). The runners and the command runner
 * build their policies with one builder (policy.ts) and call it; nothing else knows how it works.
 */
import { mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { access, mkdir, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { bwrapArgs, type BwrapPlan } from './bwrapArgs';
import { denialsIn } from './denials';
import { hostsFile, planEndpoints } from './endpoints';
import { needsLowPorts, withLowPorts } from './lowPorts';
import { relayScript, startRelays, type Relays } from './relay';
import { seatbeltProfile } from './seatbelt';
import { machineSupport, type SandboxTools } from './support';
import { systemLayout } from './system';
import { processTempFolder } from './tempFolders';
import { isInside, PACKAGE_MANAGER_ENV, toolchainEnv, toolchainFolders } from './toolchains';
import type { SandboxDenial, SandboxLaunch, SandboxPolicy, SandboxSupport } from './types';

export type { SandboxDenial, SandboxLaunch, SandboxPolicy, SandboxSupport } from './types';
export { SandboxNetworkError, parseNetworkEntry } from './endpoints';
export { sandboxPolicy, type PolicyPlace } from './policy';
export { detectSandboxSupport, findOnPath, type SandboxTools } from './support';
export { processTempFolder } from './tempFolders';
export { PACKAGE_MANAGER_ENV } from './toolchains';
export { spreadSubfolders } from './spreadFolder';

/** Thrown by launchSandboxed where no sandbox is available; the message says what to install. */
export class SandboxUnavailableError extends Error {}

/** Whether this machine can sandbox, and what it enforces (probed once per process; `again`: probed anew). */
export function sandboxSupport(again = false): Promise<SandboxSupport> {
  return machineSupport(again).support;
}

/** The programs the sandbox runs on this machine (bubblewrap's path, for a runner's AppArmor profile). */
export function sandboxTools(): SandboxTools {
  return machineSupport().tools;
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** A path with its symlinks resolved, or as it is when that fails (it does not exist). */
async function realOrSelfSoon(path: string): Promise<string> {
  return realpath(path).catch(() => path);
}

/**
 * The policy with its folders made (home, tmp), resolved, and the missing read-only ones left out.
 * Off the main thread: in `serve` starting twenty runs at once, a folder made while the disk's
 * journal commits someone's fsync can stall it for tens of milliseconds.
 */
async function settle(policy: SandboxPolicy): Promise<SandboxPolicy> {
  await Promise.all([mkdir(policy.home, { recursive: true }), mkdir(policy.tmp, { recursive: true })]);
  const existing = async (paths: readonly string[]) =>
    (
      await Promise.all(
        paths.map(async (path) =>
          (await access(path).then(
            () => true,
            () => false,
          ))
            ? [await realOrSelfSoon(path)]
            : [],
        ),
      )
    ).flat();
  const [cwd, home, tmp, writable, readOnly] = await Promise.all([
    realOrSelfSoon(policy.cwd),
    realOrSelfSoon(policy.home),
    realOrSelfSoon(policy.tmp),
    existing(policy.writable),
    existing(policy.readOnly ?? []),
  ]);
  return { ...policy, cwd, home, tmp, writable, readOnly };
}

/**
 * The command to spawn instead of `command args` so that it runs under `policy`. The caller
 * spawns it with `env` (detached, its own process group) and calls `close()` once it exited.
 */
export async function launchSandboxed(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  policy: SandboxPolicy,
): Promise<SandboxLaunch> {
  const { support, tools } = machineSupport();
  const supported = await support;
  if (!supported.available)
    throw new SandboxUnavailableError(
      `No sandbox is available: ${supported.reason ?? 'unknown reason'}. Install it, or set sandbox: off in .claude/orchestrator.yaml to run unconfined.`,
    );
  const endpoints = planEndpoints(policy.network);
  const settled = await settle(policy);
  const user = await realOrSelfSoon(homedir());
  // HOME is handled by the toolchain rules themselves (only toolchain homes of it are bound).
  const hidden = await Promise.all((policy.hidden ?? []).map(realOrSelfSoon));
  const toolchains = toolchainFolders(env.PATH ?? process.env.PATH ?? '', user, hidden).filter(
    // A toolchain folder that holds the work is already there, writable.
    (folder) => !settled.writable.some((work) => isInside(folder, work)),
  );
  const visibility = {
    cwd: settled.cwd,
    bound: [...settled.writable, ...(settled.readOnly ?? []), settled.home, ...toolchains],
    hidden: [user, ...hidden],
  };
  const childEnv: Record<string, string> = {
    ...PACKAGE_MANAGER_ENV,
    ...env,
    ...toolchainEnv(toolchains, user, env),
    HOME: settled.home,
    TMPDIR: supported.kind === 'bubblewrap' ? '/tmp' : settled.tmp,
  };
  if (supported.kind === 'seatbelt') {
    const profile = seatbeltProfile(settled, toolchains);
    return {
      command: tools.sandboxExec!,
      args: ['-p', profile, command, ...args],
      env: childEnv,
      close: async (output) => (output ? denialsIn(output, visibility) : []),
    };
  }
  let runtimeDir: string | undefined;
  let relays: Relays | undefined;
  const cleanup = async () => {
    await relays?.stop();
    if (runtimeDir) rmSync(runtimeDir, { recursive: true, force: true });
  };
  try {
    let inner = [command, ...args];
    const lowPorts = needsLowPorts(endpoints);
    const plan: BwrapPlan = { policy: settled, layout: systemLayout(), toolchains, callerNetwork: lowPorts };
    if (endpoints.length > 0) {
      runtimeDir = processTempFolder('orch-sandbox-');
      plan.hostsFile = join(runtimeDir, 'hosts');
      writeFileSync(plan.hostsFile, hostsFile(endpoints));
      plan.relayDir = join(runtimeDir, 'relay');
      mkdirSync(plan.relayDir);
      relays = await startRelays(endpoints, plan.relayDir);
      inner = ['/bin/sh', '-c', relayScript(endpoints, tools.socat!), 'orchestrator-sandbox', command, ...args];
      // socat outside the system folders (a custom install) is bound read-only too.
      if (!isInside('/usr', realOrSelf(tools.socat!)))
        plan.policy = { ...settled, readOnly: [...(settled.readOnly ?? []), dirname(realOrSelf(tools.socat!))] };
    }
    const close = async (output?: string): Promise<SandboxDenial[]> => {
      await cleanup();
      return output ? denialsIn(output, visibility) : [];
    };
    const bwrap = [...bwrapArgs(plan), '--', ...inner];
    if (!lowPorts) return { command: tools.bwrap!, args: bwrap, env: childEnv, close };
    let outer: { command: string; args: string[] };
    try {
      outer = withLowPorts(tools, tools.bwrap!, bwrap);
    } catch (error) {
      throw new SandboxUnavailableError((error as Error).message);
    }
    return { ...outer, env: childEnv, close };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
