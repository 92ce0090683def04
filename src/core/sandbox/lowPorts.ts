/**
 * Endpoints on ports below 1024 (every real provider's :443). The relay inside must listen on
 * the endpoint's own port, and a port below 1024 needs a privilege the sandbox never has:
 * bubblewrap drops every capability, and the network namespace it makes as root is not one its
 * process may reconfigure. So for such a policy `unshare` makes the user and network namespaces
 * first, opens every port to unprivileged listeners in that namespace only
 * (net.ipv4.ip_unprivileged_port_start is per network namespace), brings its loopback up, and
 * execs bubblewrap, which then makes no network namespace of its own. The sandboxed process
 * still has no capability and only this namespace's loopback; the host is untouched.
 */
import type { Endpoint } from './endpoints';

export interface LowPortTools {
  unshare?: string;
  ip?: string;
}

/** Whether a policy's endpoints need the namespace made first. */
export function needsLowPorts(endpoints: readonly Endpoint[]): boolean {
  return endpoints.some((endpoint) => endpoint.port < 1024);
}

const OPEN_PORTS =
  'echo 0 > /proc/sys/net/ipv4/ip_unprivileged_port_start && "$1" link set lo up && shift && exec "$@"';

/** The command and arguments that run `bwrap bwrapArgs…` inside a namespace whose low ports are open; throws what to install when a tool is missing. */
export function withLowPorts(
  tools: LowPortTools,
  bwrap: string,
  bwrapArgs: readonly string[],
): { command: string; args: string[] } {
  if (!tools.unshare || !tools.ip) {
    const missing = [!tools.unshare ? 'unshare (util-linux)' : undefined, !tools.ip ? 'ip (iproute2)' : undefined]
      .filter(Boolean)
      .join(' and ');
    throw new Error(
      `a sandbox reaching a port below 1024 needs ${missing}: install ${missing.includes('iproute2') ? 'iproute2' : 'util-linux'}`,
    );
  }
  return {
    command: tools.unshare,
    args: [
      '--user',
      '--map-root-user',
      '--net',
      '/bin/sh',
      '-c',
      OPEN_PORTS,
      'orchestrator-sandbox',
      tools.ip,
      bwrap,
      ...bwrapArgs,
    ],
  };
}
