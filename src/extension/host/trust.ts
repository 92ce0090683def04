/**
 * Restricted Mode: nothing from the workspace is executed (sync and validate commands come
 * from .claude/orchestrator.yaml), and no git command runs either: a repository's own
 * configuration (core.fsmonitor, hooks, clean/smudge filters) can make git execute its code.
 * Actions that would do either explain why they cannot and offer the trust editor instead.
 */
import * as vscode from 'vscode';

const MANAGE = 'Manage Workspace Trust';

export const isTrusted = (): boolean => vscode.workspace.isTrusted;

export const RUNS_COMMANDS = 'runs commands from this workspace (sync and validate in .claude/orchestrator.yaml)';
export const RUNS_GIT =
  "runs git in this workspace, and a repository's own git configuration (hooks, fsmonitor, filters) can execute code";

export function requireTrust(action: string, why: string = RUNS_COMMANDS): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(
      `Orchestrator: ${action} ${why}, which Restricted Mode does not allow. Trust the workspace to continue.`,
      MANAGE,
    )
    .then((choice) => {
      if (choice === MANAGE) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}
