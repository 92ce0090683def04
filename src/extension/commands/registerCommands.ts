/**
 * The command table: id → handler. Every handler's failure ends up in the log and one error
 * message, instead of VS Code's generic "command failed".
 */
import * as vscode from 'vscode';
import { USE_EDITOR_MODELS_COMMAND } from '../lm/editorToolModels';
import { useEditorModels } from '../lm/useEditorModels';
import type { EventLog } from '../log/eventLog';
import { redact } from '../log/redact';
import type { CommandHandler, Services } from '../services';
import { auditToTarget } from './auditCommands';
import { rollbackRun, showChanges } from './changeCommands';
import { acceptUnchecked, allowUntested, cancelRun, newBugfix, newFeature, resumeRun } from './runCommands';
import { approveSpec, openSpec, requestChanges, saveSpec } from './specCommands';
import { exportTrace, importSpec } from './traceCommands';
import { applyRun, branchRun, discardRun } from './worktreeCommands';
import { checkChangeSet } from './changeSetCommands';
import { mergeChangeSet } from './mergeSetCommand';
import { about, initWorkspace, setApiKey, setOpenAIKey, showLog, syncRegistry, tryDemo } from './workspaceCommands';

export const commandTable: Record<string, CommandHandler> = {
  'orchestrator.newFeature': newFeature,
  'orchestrator.newBugfix': newBugfix,
  'orchestrator.auditToTarget': auditToTarget,
  'orchestrator.approveSpec': approveSpec,
  // The chat's gate buttons (issue 38), and the palette: through SpecDecisions like the sidebar.
  'orchestrator.requestChanges': requestChanges,
  'orchestrator.saveSpec': saveSpec,
  'orchestrator.openSpec': openSpec,
  'orchestrator.resumeRun': resumeRun,
  // Workflows (issue 29): resume a run stopped at a gate only for untested requirements, waiving them.
  'orchestrator.allowUntested': allowUntested,
  // Issue 70: complete a run that ended unchecked, accepting what nothing checked.
  'orchestrator.acceptUnchecked': acceptUnchecked,
  'orchestrator.cancelRun': cancelRun,
  'orchestrator.rollbackRun': rollbackRun,
  'orchestrator.showChanges': showChanges,
  'orchestrator.setApiKey': setApiKey,
  'orchestrator.syncRegistry': syncRegistry,
  'orchestrator.initWorkspace': initWorkspace,
  'orchestrator.showLog': showLog,
  // Issue 71: which build this is, the commit a release names.
  'orchestrator.about': about,
  'orchestrator.tryDemo': tryDemo,
  // Traceability and foreign specs (issue 10).
  'orchestrator.importSpec': importSpec,
  'orchestrator.exportTrace': exportTrace,
  [USE_EDITOR_MODELS_COMMAND]: useEditorModels,
  // OpenAI-compatible endpoints (issue 12).
  'orchestrator.setOpenAIKey': setOpenAIKey,
  // Runs in worktrees (issue 22).
  'orchestrator.applyRun': applyRun,
  'orchestrator.branchRun': branchRun,
  'orchestrator.discardRun': discardRun,
  // The task queue (issue 11).
  'orchestrator.serveQueueOverHttp': (s) => s.queueHttp.start(s.folders.current()?.uri.fsPath),
  // A change-set's members on their combined heads (issue 73).
  'orchestrator.checkChangeSet': checkChangeSet,
  'orchestrator.mergeChangeSet': mergeChangeSet,
  // The supervisor portal (issue 21).
  'orchestrator.serveQueue': (s) => s.queuePortal.start(s.folders.current()?.uri.fsPath),
};

function report(log: EventLog, id: string, err: unknown): void {
  const message = redact(err instanceof Error ? err.message : String(err));
  log.write('error', `${id}: ${err instanceof Error && err.stack ? redact(err.stack) : message}`);
  void vscode.window.showErrorMessage(`Orchestrator: ${message}`, 'Show Log').then((c) => c && log.show());
}

export function registerCommands(services: Services): vscode.Disposable[] {
  return Object.entries(commandTable).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(services, ...args);
      } catch (err) {
        report(services.log, id, err);
        return undefined;
      }
    }),
  );
}
