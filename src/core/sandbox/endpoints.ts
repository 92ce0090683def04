/**
 * The network a policy opens, as endpoints: each named host:port gets an address inside the
 * sandbox's own (empty) network namespace where a relay listens. Loopback targets keep their
 * address (a model server at 127.0.0.1:4010 is reached at 127.0.0.1:4010 inside); a named host
 * gets a private loopback address of its own, written into the sandbox's /etc/hosts, so TLS
 * and SNI are unchanged and no client has to honour proxy variables.
 */
import { isIP } from 'node:net';

export interface Endpoint {
  /** What the orchestrator side connects to. */
  host: string;
  port: number;
  /** Where the relay listens inside the sandbox. */
  insideAddress: string;
}

/** Ports a bare host name opens. */
const DEFAULT_PORTS = [443, 80];
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', 'localhost.localdomain']);
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,62}[a-z0-9_])?)*$/i;

/** Thrown for an entry the sandbox cannot open; the message names it and says what is accepted. */
export class SandboxNetworkError extends Error {}

/** One `host`, `host:port` or `[v6]:port` entry, checked; ports default to 443 and 80. */
export function parseNetworkEntry(entry: string): { host: string; ports: number[] } {
  const text = entry.trim();
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const plain = /^([^:]+)(?::(\d+))?$/.exec(text);
  const match = bracket ?? plain;
  if (!match) throw new SandboxNetworkError(`sandbox network entry "${entry}" is not host or host:port`);
  const host = match[1]!.toLowerCase();
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535))
    throw new SandboxNetworkError(`sandbox network entry "${entry}": port must be 1-65535`);
  if (host.includes('*'))
    throw new SandboxNetworkError(`sandbox network entry "${entry}": wildcards are not supported, name each host`);
  const ip = isIP(host);
  if (ip === 6)
    throw new SandboxNetworkError(
      `sandbox network entry "${entry}": IPv6 addresses are not supported; name 127.0.0.1 or the host`,
    );
  if (ip === 4 && !host.startsWith('127.'))
    throw new SandboxNetworkError(
      `sandbox network entry "${entry}": only loopback IP addresses can be named; name the host instead`,
    );
  if (ip === 0 && !HOST_NAME.test(host))
    throw new SandboxNetworkError(`sandbox network entry "${entry}" is not a host name`);
  return { host, ports: port === undefined ? DEFAULT_PORTS : [port] };
}

/** True for the names and addresses that mean this machine. */
export function isLoopback(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || (isIP(host) === 4 && host.startsWith('127.'));
}

/** The endpoints of a policy's network list, deduplicated, each with its address inside. */
export function planEndpoints(network: readonly string[]): Endpoint[] {
  const endpoints: Endpoint[] = [];
  const seen = new Set<string>();
  const addressOf = new Map<string, string>();
  let named = 0;
  for (const entry of network) {
    const { host, ports } = parseNetworkEntry(entry);
    for (const port of ports) {
      const key = `${host}:${port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let inside = addressOf.get(host);
      if (!inside) {
        // Loopback keeps its address; each named host gets 127.0.1.N (the whole 127/8 is loopback).
        if (isLoopback(host)) inside = host.startsWith('127.') ? host : '127.0.0.1';
        else if (++named > 250) throw new SandboxNetworkError('sandbox network: at most 250 named hosts');
        else inside = `127.0.1.${named}`;
        addressOf.set(host, inside);
      }
      endpoints.push({ host, port, insideAddress: inside });
    }
  }
  return endpoints;
}

/** The sandbox's /etc/hosts: this machine's names, and each named host at its relay's address. */
export function hostsFile(endpoints: readonly Endpoint[]): string {
  const lines = ['127.0.0.1 localhost localhost.localdomain'];
  const named = new Map<string, string>();
  for (const endpoint of endpoints) if (!isLoopback(endpoint.host)) named.set(endpoint.host, endpoint.insideAddress);
  for (const [host, address] of named) lines.push(`${address} ${host}`);
  return `${lines.join('\n')}\n`;
}
