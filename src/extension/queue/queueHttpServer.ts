/**
 * Serves the workspace's task queue over Streamable HTTP for MCP clients that connect by URL
 * (another tool, a container, a teammate's agent through a tunnel): our CLI's `mcp --http` on
 * 127.0.0.1, its bearer token generated once and kept in SecretStorage, handed to the process in
 * its environment only. The user copies it from the notification; it never reaches a log.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { EventLog } from '../log/eventLog';
import { Disposable } from '../util/disposable';
import { askServePort } from './servePort';

const TOKEN_SECRET = 'orchestrator.mcpHttpToken';

export class QueueHttpServer extends Disposable {
  private child: ChildProcess | undefined;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly extensionUri: vscode.Uri,
    private readonly log: EventLog,
  ) {
    super();
    this.register({ dispose: () => this.child?.kill() });
  }

  async start(workspace: string | undefined): Promise<void> {
    const port = await askServePort(workspace, 'Orchestrator: serve the task queue over HTTP', '8765');
    if (!port || !workspace) return;
    const token = await this.token();
    this.child?.kill();
    const child = spawn(
      process.execPath,
      [join(this.extensionUri.fsPath, 'dist', 'cli.js'), 'mcp', '--http', port, '--workspace', workspace],
      {
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', ORCHESTRATOR_MCP_TOKEN: token },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    this.child = child;
    let said = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      said += chunk.toString('utf8');
      this.log.write('info', `task queue over HTTP: ${chunk.toString('utf8').trim()}`);
    });
    child.on('exit', (code) => {
      if (this.child === child) this.child = undefined;
      if (code)
        void vscode.window.showErrorMessage(
          `Orchestrator: the task queue's HTTP server stopped (exit ${code}): ${said.trim().split('\n').at(-1) ?? ''}`,
        );
    });
    const url = `http://127.0.0.1:${port}/mcp`;
    const choice = await vscode.window.showInformationMessage(
      `Orchestrator: the task queue is served at ${url}; clients send "Authorization: Bearer <token>".`,
      'Copy Token',
      'Copy URL',
      'Stop',
    );
    if (choice === 'Copy Token') await vscode.env.clipboard.writeText(token);
    else if (choice === 'Copy URL') await vscode.env.clipboard.writeText(url);
    else if (choice === 'Stop') child.kill();
  }

  private async token(): Promise<string> {
    const stored = await this.secrets.get(TOKEN_SECRET);
    if (stored) return stored;
    const token = randomBytes(32).toString('base64url');
    await this.secrets.store(TOKEN_SECRET, token);
    return token;
  }
}
