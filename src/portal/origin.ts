/**
 * Host and Origin on every request, before anything else (DNS rebinding, cross-site requests):
 * the Host must be one this server answers to (its loopback names and port, the `--host` it was
 * given, the host of `serve.publicUrl`), else 421; an Origin, when sent, must be this server's own,
 * else 403. Requests without Origin (webhooks, MCP clients, curl) pass: they carry their own proof
 * (a signature, a bearer token), and a browser always sends Origin on what changes something.
 */
import type { IncomingMessage } from 'node:http';

export interface OriginPolicy {
  hosts: Set<string>;
  origins: Set<string>;
}

export function originPolicy(port: number, bindHost: string, publicUrl?: string): OriginPolicy {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  if (bindHost !== '0.0.0.0' && bindHost !== '::') names.add(bindHost.includes(':') ? `[${bindHost}]` : bindHost);
  const hosts = new Set([...names].map((name) => `${name}:${port}`.toLowerCase()));
  const origins = new Set([...hosts].map((host) => `http://${host}`));
  if (publicUrl) {
    const url = new URL(publicUrl);
    hosts.add(url.host.toLowerCase());
    origins.add(url.origin.toLowerCase());
  }
  return { hosts, origins };
}

export function refusal(
  policy: OriginPolicy,
  req: IncomingMessage,
): { status: 403 | 421; message: string } | undefined {
  const host = req.headers.host?.toLowerCase();
  if (!host || !policy.hosts.has(host))
    return { status: 421, message: `Misdirected request: this server answers only as ${[...policy.hosts].join(', ')}` };
  const origin = req.headers.origin;
  if (origin !== undefined && !policy.origins.has(origin.toLowerCase()))
    return {
      status: 403,
      message: `Forbidden: requests from the web origin ${JSON.stringify(origin.slice(0, 200))} are refused`,
    };
  return undefined;
}
