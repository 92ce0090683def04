/**
 * Orchestrator: Audit to Target — from the command palette, the explorer's context menu (its
 * folder) or the sidebar: which folder, which dimension, which score; then the audit loop
 * runs like any other run (progress, cancel, resume, the sidebar's chart and report), or goes to
 * the pool of workers with `runs.dispatch: pool` (issue 28), as `audit <path> --pool` does.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { requireTrust } from '../host/trust';
import type { Services } from '../services';
import { askWithIsolation, startingIsolation, type Isolation } from '../run/isolationChoice';
import { dispatchesToPool, sendToPool } from '../pool/poolDispatch';

/** Folders never offered as targets: tooling, dependencies, build output. */
const SKIPPED = new Set([
  '.git',
  '.claude',
  '.vscode',
  'node_modules',
  'dist',
  'out',
  'build',
  'bin',
  'obj',
  'target',
  '__pycache__',
  '.venv',
  'venv',
]);
const MAX_PICKS = 200;

interface TargetItem extends vscode.QuickPickItem {
  uri?: vscode.Uri;
}

/** The workspace, its folders two levels deep, and Browse… for anything else. */
async function pickTarget(folder: vscode.WorkspaceFolder): Promise<vscode.Uri | undefined> {
  const items: TargetItem[] = [{ label: '$(root-folder) Whole workspace', description: folder.name, uri: folder.uri }];
  const visit = async (dir: vscode.Uri, depth: number): Promise<void> => {
    const entries = await Promise.resolve(vscode.workspace.fs.readDirectory(dir)).catch(
      () => [] as [string, vscode.FileType][],
    );
    for (const [name, type] of entries.sort(([a], [b]) => a.localeCompare(b))) {
      if (type !== vscode.FileType.Directory || name.startsWith('.') || SKIPPED.has(name) || items.length >= MAX_PICKS)
        continue;
      const uri = vscode.Uri.joinPath(dir, name);
      items.push({ label: `$(folder) ${path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/')}`, uri });
      if (depth < 2) await visit(uri, depth + 1);
    }
  };
  await visit(folder.uri, 1);
  items.push({ label: '$(folder-opened) Browse…', description: 'a folder or a file' });
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Orchestrator: Audit to Target (1/3)',
    placeHolder: 'What to audit',
    ignoreFocusOut: true,
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  if (picked.uri) return picked.uri;
  const chosen = await vscode.window.showOpenDialog({
    defaultUri: folder.uri,
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: 'Audit',
  });
  return chosen?.[0];
}

async function pickDimension(dimensions: { name: string; title: string }[]): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick(
    dimensions.map((d) => ({ label: d.name, description: d.title })),
    {
      title: 'Orchestrator: Audit to Target (2/3)',
      placeHolder: 'Dimension to audit (templates in .claude/audit/)',
      ignoreFocusOut: true,
    },
  );
  return picked?.label;
}

async function askTargetScore(
  defaultScore: number,
  isolation: Isolation,
): Promise<{ score: number; isolation: Isolation } | undefined> {
  const answer = await askWithIsolation(
    {
      title: 'Orchestrator: Audit to Target (3/3)',
      prompt:
        'Score to reach (0–100); the loop also stops at the iteration cap, the budget, or two iterations without improvement',
      value: String(defaultScore),
      validate: (v) => (/^\d+(\.\d+)?$/.test(v.trim()) && Number(v) <= 100 ? undefined : 'A score from 0 to 100'),
    },
    isolation,
  );
  return answer && { score: Number(answer.text), isolation: answer.isolation };
}

export async function auditToTarget(s: Services, arg?: unknown): Promise<void> {
  if (!requireTrust('Audit to Target')) return;
  const explorerUri = arg instanceof vscode.Uri ? arg : undefined;
  const folder = explorerUri ? vscode.workspace.getWorkspaceFolder(explorerUri) : await s.folders.pick('audit');
  if (!folder) {
    if (explorerUri)
      void vscode.window.showWarningMessage(
        `Orchestrator: ${explorerUri.fsPath} is not inside an open workspace folder.`,
      );
    return;
  }
  const target = explorerUri ?? (await pickTarget(folder));
  if (!target) return;
  const templatesDir = vscode.Uri.joinPath(s.extensionUri, '.claude').fsPath;
  const choices = await s.engine.auditChoices(folder.uri.fsPath, templatesDir);
  const dimension = await pickDimension(choices.dimensions);
  if (!dimension) return;
  const initial = await startingIsolation(s.engine, folder.uri.fsPath);
  const asked = await askTargetScore(choices.targetScore, initial);
  if (!asked) return;
  const targetScore = asked.score;
  const relative = path.relative(folder.uri.fsPath, target.fsPath).split(path.sep).join('/');
  const shown = relative || folder.name;
  // `runs.dispatch: pool`: to the pool unless a worktree was chosen here, as New Feature does.
  if (
    await dispatchesToPool(folder.uri.fsPath, { worktree: asked.isolation === 'worktree' && initial !== 'worktree' })
  ) {
    const audit = { target: relative || '.', dimension, targetScore };
    await sendToPool(
      s,
      folder.uri.fsPath,
      { kind: 'audit', request: `audit ${audit.target}`, flags: { audit }, labels: [] },
      'Audit to Target',
    );
    return;
  }
  // The chart, the findings and the report are in the sidebar.
  s.revealSidebar();
  await s.runs.run({
    kind: 'audit',
    label: `${shown} (${dimension}) to ${targetScore}/100`,
    workspace: folder.uri.fsPath,
    needsKey: true,
    isolation: asked.isolation,
    execute: (o) => s.engine.runAudit({ target: target.fsPath, dimension, targetScore }, { ...o, templatesDir }),
  });
}
