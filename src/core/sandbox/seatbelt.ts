/**
 * A policy as a macOS Seatbelt profile for `sandbox-exec` (pure: tested as text). Everything is
 * denied, then allowed back: reading the system and the toolchains, reading and writing the
 * work, the private HOME and temp folder; outbound connections only to the named loopback
 * ports, and for named hosts to their ports (Seatbelt filters by port, not by name: see
 * docs/security.md); signals only within the sandbox. HOME and the user's checkout are not
 * readable, the keychain's services are not reachable.
 */
import { isLoopback, parseNetworkEntry } from './endpoints';
import type { SandboxPolicy } from './types';

/** The system folders a macOS process needs to start and run toolchains. */
const SYSTEM_READ = [
  '/System',
  '/usr',
  '/bin',
  '/sbin',
  '/Library/Apple',
  '/Library/Frameworks',
  '/Library/Developer',
  '/Applications/Xcode.app',
  '/opt/homebrew',
  '/usr/local',
  '/private/etc',
  '/private/var/db/timezone',
  '/dev',
  '/nix',
];

/** A Scheme string literal. */
export function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const subpaths = (paths: readonly string[]) => paths.map((path) => `(subpath ${quote(path)})`).join(' ');

export function seatbeltProfile(policy: SandboxPolicy, toolchains: readonly string[]): string {
  const writable = [...policy.writable, policy.home, policy.tmp];
  const readable = [...SYSTEM_READ, ...toolchains, ...(policy.readOnly ?? [])];
  const lines = [
    '(version 1)',
    '(deny default)',
    '(allow process-exec process-fork)',
    '(allow signal (target same-sandbox))',
    '(allow process-info* (target same-sandbox))',
    '(allow sysctl-read)',
    '(allow ipc-posix-shm ipc-posix-sem)',
    // Mach services a process needs, but not the keychain's (Security server) nor the pasteboard.
    '(allow mach-lookup)',
    '(deny mach-lookup (global-name "com.apple.SecurityServer") (global-name "com.apple.securityd") (global-name "com.apple.pasteboard.1"))',
    // Walking up to a folder needs its metadata (stat of /Users, /Users/me), not its listing.
    '(allow file-read-metadata)',
    `(allow file-read* ${subpaths(readable)} (literal "/"))`,
    `(allow file-read* file-write* ${subpaths(writable)})`,
    '(allow file-write-data (literal "/dev/null") (literal "/dev/tty"))',
  ];
  // The work's git folder stays read-only (no hook or fsmonitor planted for the next git run).
  for (const folder of policy.writable)
    lines.push(`(deny file-write* (subpath ${quote(`${folder}/.git`)}) (literal ${quote(`${folder}/.git`)}))`);
  const loopbackPorts = new Set<number>();
  const hostPorts = new Set<number>();
  for (const entry of policy.network) {
    const { host, ports } = parseNetworkEntry(entry);
    for (const port of ports) (isLoopback(host) ? loopbackPorts : hostPorts).add(port);
  }
  for (const port of [...loopbackPorts].sort((a, b) => a - b))
    lines.push(`(allow network-outbound (remote ip "localhost:${port}"))`);
  if (hostPorts.size > 0) {
    lines.push('(allow network-outbound (remote unix-socket (path-literal "/private/var/run/mDNSResponder")))');
    for (const port of [...hostPorts].sort((a, b) => a - b))
      lines.push(`(allow network-outbound (remote ip "*:${port}"))`);
  }
  return `${lines.join('\n')}\n`;
}
