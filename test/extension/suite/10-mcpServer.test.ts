// The task queue's MCP server as VS Code gets it: the manifest's provider, the definition the
// extension offers for the workspace (our bundled CLI on the editor's own runtime), and that
// definition launched exactly as the editor launches it, answering MCP on stdio.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { activated, extension } from '../support/host';
import { workspaceDir } from '../support/files';

interface Manifest {
  contributes: { mcpServerDefinitionProviders?: { id: string; label: string }[] };
}

/** Sends JSON-RPC lines to the launched server and reads its answers by id. */
function stdioSession(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string) {
  const child = spawn(command, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const answers = new Map<number, (value: Record<string, unknown>) => void>();
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let newline;
    while ((newline = buffered.indexOf('\n')) !== -1) {
      const message = JSON.parse(buffered.slice(0, newline)) as Record<string, unknown>;
      buffered = buffered.slice(newline + 1);
      answers.get(message.id as number)?.(message);
    }
  });
  const request = (id: number, method: string, params: unknown) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${method} in 20 s`)), 20_000);
      answers.set(id, (value) => (clearTimeout(timer), resolve(value)));
      child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, request, exited };
}

suite('MCP server definition', function () {
  this.timeout(60_000);

  suiteSetup(async () => {
    await activated();
  });

  test('the manifest declares the provider the extension registers', () => {
    const providers = (extension().packageJSON as Manifest).contributes.mcpServerDefinitionProviders ?? [];
    assert.deepEqual(
      providers.map((p) => p.id),
      ['orchestrator.queue'],
    );
  });

  test("the trusted workspace gets one server: the bundled CLI's `mcp` on the editor's own runtime, in the workspace", () => {
    assert.equal(vscode.workspace.isTrusted, true);
    const servers = extension().exports.getMcpServers();
    assert.equal(servers.length, 1, JSON.stringify(servers));
    const [server] = servers;
    assert.equal(server!.label, 'Orchestrator task queue');
    assert.equal(server!.command, process.execPath);
    assert.match(server!.args[0]!, /[\\/]dist[\\/]cli\.js$/);
    assert.ok(existsSync(server!.args[0]!), `${server!.args[0]} is not there`);
    assert.deepEqual(server!.args.slice(1), ['mcp', '--workspace', workspaceDir()]);
    assert.equal(server!.env.ELECTRON_RUN_AS_NODE, '1');
    assert.equal(server!.cwd, workspaceDir());
  });

  test("launched as the editor launches it, the definition serves the workspace's queue over MCP", async () => {
    const [server] = extension().exports.getMcpServers();
    const env = { ...process.env, ...Object.fromEntries(Object.entries(server!.env).map(([k, v]) => [k, String(v)])) };
    const session = stdioSession(server!.command, server!.args, env, server!.cwd!);
    try {
      const init = await session.request(1, 'initialize', {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'vscode-test', version: '1' },
      });
      assert.equal((init.result as { serverInfo: { name: string } }).serverInfo.name, 'orchestrator-queue');
      session.child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
      const tools = await session.request(2, 'tools/list', {});
      assert.deepEqual((tools.result as { tools: { name: string }[] }).tools.map((t) => t.name).sort(), [
        'claim_ticket',
        'create_task',
        'get_task',
        'list_tasks',
        'send_message',
        'submit_artifact',
      ]);
      const listed = await session.request(3, 'tools/call', { name: 'list_tasks', arguments: {} });
      assert.ok(
        Array.isArray(
          (JSON.parse((listed.result as { content: { text: string }[] }).content[0]!.text) as { tasks: unknown }).tasks,
        ),
        'the queue answers a page of tasks',
      );
      session.child.stdin!.end();
      assert.equal(await session.exited, 0, 'it ends with its input');
    } finally {
      session.child.kill();
    }
  });
});
