// The MCP test kit: the SDK's own client over stdio (our CLI launched as a server) and over
// Streamable HTTP with the bearer token, against a shop workspace; `task review` by the CLI.
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CLI, runCli, startCli, type CliRun } from '../cli/cliKit';
import type { ShopWorkspace } from '../engine/shopWorkspace';

export const TOKEN = 'test-token-6f1c0b8e2d4a49b7a1c3e5f7092b4d6e';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a tool's JSON answer, checked field by field
type Json = any;
export type Call = (
  name: string,
  args: Record<string, unknown>,
) => Promise<{ isError?: boolean; text: string; value: Json }>;

export async function connect(
  transport: StdioClientTransport | StreamableHTTPClientTransport,
  name: string,
): Promise<{ client: Client; call: Call }> {
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(transport);
  const call: Call = async (tool, args) => {
    const result = (await client.callTool({ name: tool, arguments: args })) as {
      isError?: boolean;
      content: { type: string; text: string }[];
    };
    const text = result.content.map((c) => c.text).join('\n');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    return { ...(result.isError ? { isError: true } : {}), text, value };
  };
  return { client, call };
}

export interface World {
  shop: ShopWorkspace;
  /** A new MCP client session named `name`. */
  client(name: string): Promise<{ client: Client; call: Call }>;
  close(): Promise<void>;
}

export async function stdioWorld(shop: ShopWorkspace): Promise<World> {
  const clients: Client[] = [];
  return {
    shop,
    async client(name) {
      // The whole environment: the SDK's default drops ORCHESTRATOR_DATA_DIR, and with it the test's data folder (the queue's place).
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [CLI, 'mcp', '--workspace', shop.dir],
        stderr: 'pipe',
        env: { ...process.env } as Record<string, string>,
      });
      const connected = await connect(transport, name);
      clients.push(connected.client);
      return connected;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
    },
  };
}

export async function httpWorld(shop: ShopWorkspace): Promise<World & { url: string; server: CliRun }> {
  const server = startCliWithEnv(['mcp', '--http', '0', '--workspace', shop.dir], { ORCHESTRATOR_MCP_TOKEN: TOKEN });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    server.child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const found = /at (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(seen);
      if (found) resolve(found[1]!);
    });
    server.done.then((r) => reject(new Error(`the server ended: ${r.stderr}`)));
  });
  const clients: Client[] = [];
  return {
    shop,
    url,
    server,
    async client(name) {
      const transport = new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
      });
      const connected = await connect(transport, name);
      clients.push(connected.client);
      return connected;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      server.child.kill('SIGTERM');
      await server.done;
    },
  };
}

export function startCliWithEnv(args: string[], env: Record<string, string>): CliRun {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return startCli(args, { cwd: process.cwd() });
  } finally {
    for (const key of Object.keys(env)) if (saved[key] === undefined) delete process.env[key];
  }
}

export const review = (shop: ShopWorkspace, taskId: string, ...flags: string[]) =>
  runCli(['task', 'review', taskId, ...flags, '--workspace', shop.dir], { cwd: shop.dir });
