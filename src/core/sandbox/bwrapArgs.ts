/**
 * A policy as bubblewrap's command line (pure: tested as text). The root is built from nothing:
 * the system read-only, the toolchains read-only, the work read-write at its own path, a private
 * /tmp and HOME; everything else of the host (HOME, the user's checkout, other worktrees and
 * runs, /run, /var, /home, the host's /proc) is simply not there. Every namespace is new (the
 * network one holds only loopback, where the relays listen), no capability is kept, no user
 * namespace can be made inside, and the tree dies with its parent.
 */
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { SandboxPolicy } from './types';
import type { SystemLayout } from './system';

/** Where the relays' unix sockets are inside the sandbox. */
export const RELAY_DIR_INSIDE = '/run/orchestrator-sandbox';

export const NAMESPACE_FLAGS = [
  '--unshare-user',
  '--unshare-pid',
  '--unshare-ipc',
  '--unshare-uts',
  '--unshare-cgroup-try',
  '--unshare-net',
  '--disable-userns',
  '--cap-drop',
  'ALL',
  '--die-with-parent',
  '--new-session',
];

export interface BwrapPlan {
  policy: SandboxPolicy;
  layout: SystemLayout;
  /** Read-only toolchain folders (toolchains.ts). */
  toolchains: readonly string[];
  /** The generated /etc/hosts, when the policy names hosts. */
  hostsFile?: string;
  /** The host folder of the relays' sockets, when the policy names hosts. */
  relayDir?: string;
  /** Whether a path exists (the git folders to protect); injectable for tests. */
  exists?: (path: string) => boolean;
  /** The uid the sandbox is started by (process.getuid()); injectable for tests. */
  hostUid?: number;
  /** The network namespace is made by the caller (lowPorts.ts), so bubblewrap makes none. */
  callerNetwork?: boolean;
}

/** Who a nested sandbox's process is, when root starts it: not root, so its own bubblewrap needs no CAP_SETFCAP to map itself. */
export const NESTED_ID = '1000';

type Mount = { path: string; mode: 'ro' | 'rw'; rank: number };

function depth(path: string): number {
  return path.split(sep).filter(Boolean).length;
}

/** The folder mounts under the policy, parents before children so the deeper one wins. */
function folderMounts(plan: BwrapPlan): Mount[] {
  const exists = plan.exists ?? existsSync;
  const byPath = new Map<string, Mount>();
  // Higher rank wins when one path is named twice: the work over a toolchain, git protection over the work.
  const add = (path: string, mode: Mount['mode'], rank: number) => {
    const known = byPath.get(path);
    if (!known || known.rank <= rank) byPath.set(path, { path, mode, rank });
  };
  for (const folder of plan.toolchains) add(folder, 'ro', 0);
  for (const folder of plan.policy.readOnly ?? []) add(folder, 'ro', 1);
  for (const folder of plan.policy.writable) add(folder, 'rw', 2);
  add(plan.policy.home, 'rw', 2);
  // The work's git folder stays read-only: no hook, fsmonitor or config planted for the next git run.
  for (const folder of plan.policy.writable) {
    const git = join(folder, '.git');
    if (exists(git)) add(git, 'ro', 3);
  }
  return [...byPath.values()].sort((a, b) => depth(a.path) - depth(b.path) || a.path.localeCompare(b.path));
}

/** bubblewrap's arguments for the policy, up to (not including) `--` and the command. */
export function bwrapArgs(plan: BwrapPlan): string[] {
  // A nested sandbox (policy.nested) makes its own user namespace: within this one, so it can only take away.
  const args = NAMESPACE_FLAGS.filter(
    (flag) => !(plan.policy.nested && flag === '--disable-userns') && !(plan.callerNetwork && flag === '--unshare-net'),
  );
  // As root, a nested sandbox could not map uid 0 again (Linux ≥ 5.12 wants CAP_SETFCAP, dropped here): the process is uid 1000 inside, the files it makes still the user's.
  if (plan.policy.nested && (plan.hostUid ?? process.getuid?.()) === 0)
    args.push('--uid', NESTED_ID, '--gid', NESTED_ID);
  for (const path of plan.layout.binds) args.push('--ro-bind', path, path);
  for (const [target, path] of plan.layout.symlinks) args.push('--symlink', target, path);
  for (const file of plan.layout.maskedFiles) args.push('--ro-bind', '/dev/null', file);
  for (const dir of plan.layout.maskedDirs) args.push('--tmpfs', dir);
  if (plan.hostsFile) args.push('--ro-bind', plan.hostsFile, '/etc/hosts');
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/dev/shm');
  args.push('--bind', plan.policy.tmp, '/tmp');
  for (const mount of folderMounts(plan))
    args.push(mount.mode === 'rw' ? '--bind' : '--ro-bind', mount.path, mount.path);
  if (plan.relayDir) args.push('--ro-bind', plan.relayDir, RELAY_DIR_INSIDE);
  args.push('--chdir', plan.policy.cwd);
  return args;
}
