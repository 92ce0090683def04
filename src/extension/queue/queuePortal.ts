/**
 * **Serve the Task Queue…**: our CLI's `orchestrator serve` for the workspace (the supervisor
 * portal, MCP at /mcp and the webhooks; docs/portal.md), on 127.0.0.1 at the port the user picks.
 * The address it prints is shown with Open and Copy; the process stops with the window or on Stop.
 * Secrets (ORCHESTRATOR_WEBHOOK_SECRET, TWILIO_AUTH_TOKEN…) come from the editor's environment
 * and are never logged; accounts are made with `orchestrator user add` in a terminal.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { EventLog } from '../log/eventLog';
import { Disposable } from '../util/disposable';
import { askServePort } from './servePort';

export class QueuePortal extends Disposable {
  private child: ChildProcess | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: EventLog,
  ) {
    super();
    this.register({ dispose: () => this.child?.kill() });
  }

  async start(workspace: string | undefined): Promise<void> {
    const port = await askServePort(workspace, 'Orchestrator: serve the task queue (portal, MCP, webhooks)', '7373');
    if (!port || !workspace) return;
    this.child?.kill();
    const child = spawn(
      process.execPath,
      [join(this.extensionUri.fsPath, 'dist', 'cli.js'), 'serve', '--port', port, '--workspace', workspace],
      {
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    this.child = child;
    let said = '';
    const address = new Promise<string | undefined>((resolve) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        said += chunk.toString('utf8');
        this.log.write('info', `task queue portal: ${chunk.toString('utf8').trim()}`);
        const found = /the supervisor portal at (http\S+) /.exec(said);
        if (found) resolve(found[1]);
      });
      child.on('exit', () => resolve(undefined));
    });
    child.on('exit', (code) => {
      if (this.child === child) this.child = undefined;
      if (code)
        void vscode.window.showErrorMessage(
          `Orchestrator: the task queue's portal stopped (exit ${code}): ${said.trim().split('\n').at(-1) ?? ''}`,
        );
    });
    const url = await address;
    if (!url) return;
    const choice = await vscode.window.showInformationMessage(
      `Orchestrator: the task queue's portal is at ${url} (MCP at ${url}mcp). Add accounts with "orchestrator user add <name> --role admin".`,
      'Open in Browser',
      'Copy URL',
      'Stop',
    );
    if (choice === 'Open in Browser') await vscode.env.openExternal(vscode.Uri.parse(url));
    else if (choice === 'Copy URL') await vscode.env.clipboard.writeText(url);
    else if (choice === 'Stop') child.kill();
  }
}
