/**
 * Issue 10 in the editor: bring a Kiro or Spec Kit spec (a command, and the explorer's context
 * menu on such a folder), and export a spec's traceability matrix as .xlsx or Markdown.
 */
import * as vscode from 'vscode';
import type { SpecInfo } from '../../core/api';
import { stringArg, type Services } from '../services';

/** A folder from the explorer (a Uri), a path string, or one picked now. */
async function folderArg(s: Services, arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const path = stringArg(arg);
  if (path) return vscode.Uri.file(path);
  const base = s.folders.current()?.uri;
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    ...(base ? { defaultUri: base } : {}),
    openLabel: 'Import spec folder',
    title:
      'Orchestrator: a Kiro spec folder (requirements.md, design.md, tasks.md) or a Spec Kit feature folder (spec.md, plan.md, tasks.md)',
  });
  return picked?.[0];
}

const IMPORTED_AS = {
  kiro: 'the Kiro spec',
  speckit: 'the Spec Kit feature',
  mustard: 'the Mustard spec folder',
} as const;

/** Converts the folder into a spec awaiting approval, shows it in the sidebar, and offers to implement it. */
export async function importSpec(s: Services, arg?: unknown): Promise<void> {
  const folderUri = await folderArg(s, arg);
  if (!folderUri) return;
  const workspace = vscode.workspace.getWorkspaceFolder(folderUri) ?? s.folders.current();
  if (!workspace) {
    void vscode.window.showWarningMessage(
      'Orchestrator: open the project the spec belongs to as a workspace folder first.',
    );
    return;
  }
  const imported = await s.engine.importSpec(workspace.uri.fsPath, folderUri.fsPath);
  s.log.write('info', `imported ${imported.source} (${imported.format}) as ${imported.specPath}`);
  imported.warnings.forEach((w) => s.log.write('warn', `${imported.source}: ${w}`));
  await s.specs.refresh();
  await s.specs.select(imported.specId);
  await vscode.commands.executeCommand('orchestrator.sidebar.focus');
  const unowned = imported.unowned.length ? `; ${imported.unowned.length} item(s) no layer owns` : '';
  const choice = await vscode.window.showInformationMessage(
    `Orchestrator: imported ${IMPORTED_AS[imported.format]} ${imported.source} as ${imported.specId}: ${imported.requirements} requirement(s), ${imported.tasks} task(s)${unowned}.`,
    'Approve and Implement',
    'Open Spec',
  );
  if (choice === 'Approve and Implement')
    await vscode.commands.executeCommand('orchestrator.approveSpec', imported.specId);
  else if (choice === 'Open Spec') await vscode.commands.executeCommand('orchestrator.openSpec', imported.specId);
}

/**
 * Writes the selected (or picked) spec's matrix to a .xlsx workbook or a Markdown file (by the
 * name's extension). Scripts may pass the spec id and the file: `(specId, path)`.
 */
export async function exportTrace(s: Services, arg?: unknown, file?: unknown): Promise<void> {
  const folder = s.folders.current();
  if (!folder) return;
  const ws = folder.uri.fsPath;
  const specId = stringArg(arg) ?? s.store.state.selectedSpec?.id ?? (await pickAnySpec(s, ws))?.id;
  if (!specId) return;
  const given = stringArg(file);
  const target = given
    ? vscode.Uri.file(given)
    : await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(folder.uri, `traceability-${specId}.xlsx`),
        filters: { 'Excel workbook': ['xlsx'], Markdown: ['md'] },
        title: `Orchestrator: export the traceability matrix of ${specId}`,
      });
  if (!target) return;
  const asMarkdown = target.fsPath.toLowerCase().endsWith('.md');
  const { matrix } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Orchestrator: exporting the traceability matrix…' },
    () => s.engine.traceSpec(ws, specId, asMarkdown ? { md: target.fsPath } : { xlsx: target.fsPath }),
  );
  const gaps = matrix.requirementsWithoutFile.length + matrix.criteriaWithoutTest.length;
  const choice = await vscode.window.showInformationMessage(
    `Orchestrator: ${matrix.rows.length} criteria written to ${vscode.workspace.asRelativePath(target)}${gaps ? ` (${gaps} gap(s))` : ''}.`,
    'Reveal',
  );
  if (choice === 'Reveal') await vscode.commands.executeCommand('revealFileInOS', target);
}

async function pickAnySpec(s: Services, ws: string): Promise<SpecInfo | undefined> {
  const specs = await s.engine.listSpecs(ws);
  if (specs.length === 0) {
    void vscode.window.showInformationMessage('Orchestrator: no spec to trace.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    specs.map((spec) => ({ label: spec.title, description: `${spec.kind} · ${spec.status}`, detail: spec.id, spec })),
    { title: 'Orchestrator: spec to export', matchOnDetail: true },
  );
  return picked?.spec;
}
