/**
 * The allowed endpoints' relays. Inside the sandbox's network namespace `socat` listens on each
 * endpoint's inside address and forwards every connection over a unix socket (bind-mounted
 * read-only into the sandbox) to this process, which connects the real host:port. Nothing
 * else is reachable: the namespace has no route out, and its loopback is its own.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { RELAY_DIR_INSIDE } from './bwrapArgs';
import type { Endpoint } from './endpoints';

export interface Relays {
  /** Connections carried, per endpoint key `host:port`. */
  carried: Map<string, number>;
  stop(): Promise<void>;
}

function socketName(index: number): string {
  return `${index}.sock`;
}

/** Listens on one unix socket per endpoint in `dir`, relaying each connection to its endpoint. */
export async function startRelays(endpoints: readonly Endpoint[], dir: string): Promise<Relays> {
  const servers: Server[] = [];
  const open = new Set<Socket>();
  const carried = new Map<string, number>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  };
  await Promise.all(
    endpoints.map(
      (endpoint, index) =>
        new Promise<void>((resolve, reject) => {
          const server = createServer((inside) => {
            track(inside);
            const key = `${endpoint.host}:${endpoint.port}`;
            carried.set(key, (carried.get(key) ?? 0) + 1);
            const outside = createConnection({ host: endpoint.host, port: endpoint.port });
            track(outside);
            inside.pipe(outside).pipe(inside);
            // A refused or reset upstream is the same to the client as a closed connection.
            const end = () => {
              inside.destroy();
              outside.destroy();
            };
            inside.on('error', end);
            outside.on('error', end);
          });
          servers.push(server);
          server.once('error', reject);
          server.listen(join(dir, socketName(index)), () => resolve());
        }),
    ),
  );
  return {
    carried,
    stop: async () => {
      for (const socket of open) socket.destroy();
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}

/** The little-endian hex of an IPv4 address and port as /proc/net/tcp prints a listener. */
function procNetTcp(address: string, port: number): string {
  const hex = address
    .split('.')
    .map((part) => Number(part).toString(16).padStart(2, '0'))
    .reverse()
    .join('')
    .toUpperCase();
  return `${hex}:${port.toString(16).padStart(4, '0').toUpperCase()}`;
}

/**
 * The shell that starts the inside listeners (detached from the command, children of the
 * sandbox's init, so they die with it), waits until each listens, then becomes the command.
 */
export function relayScript(endpoints: readonly Endpoint[], socat: string): string {
  const lines = endpoints.map(
    (endpoint, index) =>
      `(${socat} TCP-LISTEN:${endpoint.port},bind=${endpoint.insideAddress},reuseaddr,fork UNIX-CONNECT:${RELAY_DIR_INSIDE}/${socketName(index)} </dev/null >/dev/null 2>&1 &)`,
  );
  const listening = endpoints
    .map((endpoint) => `"${procNetTcp(endpoint.insideAddress, endpoint.port)} 00000000:0000 0A"`)
    .join('|');
  // How many of them listen, read by the shell itself: a check forks nothing (a grep per check
  // cost more than socat takes to listen, on a loaded machine).
  lines.push(
    `up() { c=0; while read -r _ a r s _; do case "$a $r $s" in ${listening}) c=$((c+1)) ;; esac; done < /proc/net/tcp; [ $c -ge ${endpoints.length} ]; }`,
  );
  // Wait until every listener is up, so the command's first connect finds it: checked at once
  // for its first tries (socat usually listens within them), then every 5 ms, at most ~5 s.
  lines.push('n=0; until up || [ $n -ge 1000 ]; do n=$((n+1)); [ $n -lt 50 ] || sleep 0.005; done');
  lines.push('exec "$@"');
  return lines.join('\n');
}
