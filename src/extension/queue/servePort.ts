/** What serving the task queue asks first (over HTTP for MCP, or the whole portal): a trusted workspace, then the port. */
import * as vscode from 'vscode';

/** The port to serve `workspace` on, or undefined (no folder, untrusted, or the user cancelled: already said). */
export async function askServePort(
  workspace: string | undefined,
  title: string,
  defaultPort: string,
): Promise<string | undefined> {
  if (!workspace) return void vscode.window.showWarningMessage('Orchestrator: open a workspace folder first.');
  if (!vscode.workspace.isTrusted)
    return void vscode.window.showWarningMessage(
      'Orchestrator: serving the task queue needs a trusted workspace (approved work runs its validate commands).',
    );
  return (
    (await vscode.window.showInputBox({
      title,
      prompt: 'Port on 127.0.0.1',
      value: defaultPort,
      validateInput: (v) => (/^\d{2,5}$/.test(v) && Number(v) < 65536 ? undefined : 'a port number'),
    })) || undefined
  );
}
