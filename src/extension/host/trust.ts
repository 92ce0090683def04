/**
 * Restricted Mode: nothing from the workspace is executed (sync and validate commands come
 * from .claude/orchestrator.yaml). Actions that would run them explain why they cannot and
 * offer the trust editor instead.
 */
import * as vscode from 'vscode';

const MANAGE = 'Manage Workspace Trust';

export const isTrusted = (): boolean => vscode.workspace.isTrusted;

export function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(
      `Orchestrator: ${action} runs commands from this workspace (sync and validate in .claude/orchestrator.yaml), which Restricted Mode does not allow. Trust the workspace to continue.`,
      MANAGE,
    )
    .then((choice) => {
      if (choice === MANAGE) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}
