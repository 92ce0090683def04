/**
 * Registers the task queue's MCP server with VS Code (`lm.registerMcpServerDefinitionProvider`),
 * so the editor's own agents (Copilot agent mode and others) see it with no setup: our bundled
 * CLI, `orchestrator mcp` on stdio, for each workspace folder. Nothing is offered in Restricted
 * Mode (approved work would run the workspace's validate commands); trust brings it back.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { EventLog } from '../log/eventLog';
import { Disposable } from '../util/disposable';

export const MCP_PROVIDER_ID = 'orchestrator.queue';

/** A definition as plain data: what the editor launches (for the extension API the tests read). */
export interface McpServerInfo {
  label: string;
  command: string;
  args: string[];
  env: Record<string, string | number | null>;
  cwd?: string;
}

export class McpServerDefinitions extends Disposable {
  private readonly cli: string;

  constructor(extensionUri: vscode.Uri, log: EventLog) {
    super();
    this.cli = join(extensionUri.fsPath, 'dist', 'cli.js');
    const lm = vscode.lm as Partial<typeof vscode.lm>;
    if (typeof lm.registerMcpServerDefinitionProvider !== 'function') return; // an editor without the MCP API
    try {
      this.registerProvider(lm.registerMcpServerDefinitionProvider.bind(lm));
    } catch (error) {
      // The editor refused (e.g. a manifest without the contribution): the queue still works by CLI and HTTP.
      log.write(
        'warn',
        `the task queue's MCP server could not be registered with VS Code: ${(error as Error).message}`,
      );
    }
  }

  private registerProvider(registerProvider: typeof vscode.lm.registerMcpServerDefinitionProvider): void {
    const changed = this.register(new vscode.EventEmitter<void>());
    this.register(
      registerProvider(MCP_PROVIDER_ID, {
        onDidChangeMcpServerDefinitions: changed.event,
        provideMcpServerDefinitions: () => this.definitions(),
      }),
    );
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => changed.fire()));
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => changed.fire()));
  }

  /** One stdio server per workspace folder, none in Restricted Mode. */
  definitions(): vscode.McpStdioServerDefinition[] {
    if (!vscode.workspace.isTrusted) return [];
    const folders = vscode.workspace.workspaceFolders ?? [];
    return folders.map((folder) => {
      const label = folders.length > 1 ? `Orchestrator task queue (${folder.name})` : 'Orchestrator task queue';
      // The editor's own runtime runs the CLI as plain Node (ELECTRON_RUN_AS_NODE on desktop).
      // Where the queue's data folder is (docs/queue.md) goes with it: a server started with a reduced environment must open the same queue.
      const dataDirs = Object.fromEntries(
        ['ORCHESTRATOR_DATA_DIR', 'XDG_DATA_HOME', 'LOCALAPPDATA'].flatMap((name) =>
          process.env[name] ? [[name, process.env[name]!]] : [],
        ),
      );
      const definition = new vscode.McpStdioServerDefinition(
        label,
        process.execPath,
        [this.cli, 'mcp', '--workspace', folder.uri.fsPath],
        { ELECTRON_RUN_AS_NODE: '1', ...dataDirs },
        '0.1.0',
      );
      definition.cwd = folder.uri;
      return definition;
    });
  }

  describe(): McpServerInfo[] {
    return this.definitions().map((d) => ({
      label: d.label,
      command: d.command,
      args: [...d.args],
      env: { ...d.env },
      ...(d.cwd ? { cwd: d.cwd.fsPath } : {}),
    }));
  }
}
