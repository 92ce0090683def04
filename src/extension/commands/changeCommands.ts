/** Show Changes (QuickPick of changed files → diff against the checkpoint) and Rollback Run. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkpointUri } from '../changes/checkpointDocuments';
import { stringArg, type Services } from '../services';
import { requireTrust, RUNS_GIT } from '../host/trust';
import { pickRun } from './pickRun';

const icons = { added: '$(diff-added)', modified: '$(diff-modified)', deleted: '$(diff-removed)' } as const;

async function folderFor(s: Services, arg: unknown, purpose: string): Promise<string | undefined> {
  if (s.runs.workspace) return s.runs.workspace;
  const folder = stringArg(arg) ? s.folders.current() : await s.folders.pick(purpose);
  return folder?.uri.fsPath;
}

export async function showChanges(s: Services, arg?: unknown): Promise<void> {
  if (!requireTrust('Show Changes', RUNS_GIT)) return;
  const ws = await folderFor(s, arg, 'show changes in');
  if (!ws) return;
  const runId = await pickRun(s, ws, { arg, purpose: 'show changes of' });
  if (!runId) return;
  const changes = await s.engine.runChanges(ws, runId);
  if (changes.length === 0) {
    void vscode.window.showInformationMessage('Orchestrator: the run changed no files.');
    return;
  }
  const picked = await vscode.window.showQuickPick(
    changes.map((c) => ({ label: `${icons[c.status]} ${c.path}`, description: c.status, change: c })),
    { title: `Orchestrator: files changed by ${runId}`, matchOnDescription: true },
  );
  if (!picked) return;
  const { path: rel, status } = picked.change;
  // A worktree run waiting for Apply: its files are in its worktree, not in the workspace.
  const root = await s.engine.runFilesRoot(ws, runId);
  const left = checkpointUri(ws, runId, rel, status === 'added');
  const right = status === 'deleted' ? checkpointUri(ws, runId, rel, true) : vscode.Uri.file(path.join(root, rel));
  await vscode.commands.executeCommand(
    'vscode.diff',
    left,
    right,
    `${path.basename(rel)} (checkpoint ↔ ${root === ws ? 'workspace' : 'worktree'})`,
  );
}

export async function rollbackRun(s: Services, arg?: unknown): Promise<void> {
  if (!requireTrust('Rollback Run', RUNS_GIT)) return;
  if (s.runs.inPlaceBusy) {
    void vscode.window.showWarningMessage('Orchestrator: cancel the run in progress before rolling back.');
    return;
  }
  const folder = stringArg(arg) ? s.folders.current() : await s.folders.pick('roll back a run in');
  if (!folder) return;
  const ws = folder.uri.fsPath;
  const runId = await pickRun(s, ws, { arg, purpose: 'roll back' });
  if (!runId) return;
  const answer = await vscode.window.showWarningMessage(
    `Roll back run ${runId}?`,
    {
      modal: true,
      detail:
        'Files the run wrote or deleted are restored from its checkpoint and files it created are removed. Other changes are left alone.',
    },
    'Roll Back',
  );
  if (answer !== 'Roll Back') return;
  const report = await s.engine.rollback(ws, runId);
  // The shown run can no longer be resumed (the engine journaled the rollback).
  if (s.store.state.run?.runId === runId)
    s.store.dispatch({ type: 'engine', event: { type: 'run.rolled-back', ...report } });
  s.log.write(
    'info',
    `rollback ${runId}: restored ${report.restored.join(', ') || 'nothing'}; removed ${report.removed.join(', ') || 'nothing'}`,
  );
  void vscode.window.showInformationMessage(
    `Orchestrator: rolled back — ${report.restored.length} files restored, ${report.removed.length} removed.`,
  );
  s.specs.refreshSoon();
}
