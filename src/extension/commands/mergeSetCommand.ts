/**
 * Merge Change-Set (issue 73): the editor's side of `orchestrator merge <set>`, the same engine verb.
 * The set (its branch, the same name in each member) is asked for, or given; after a modal yes,
 * the set is published and merged producers first, each step shown as it happens; Cancel stops
 * it before the first merge (after it, the set is finished: never half). A member naming `github:` holds the set here (no GitHub token in the editor):
 * `orchestrator merge` in a terminal merges it through its pull request. Returns the report.
 */
import * as vscode from 'vscode';
import type { Returns } from '../../core/engine';
import { requireTrust } from '../host/trust';
import type { Services } from '../services';

type Report = Returns<'mergeChangeSet'>;

export async function mergeChangeSet(s: Services, start?: unknown, given?: unknown): Promise<Report | undefined> {
  if (!requireTrust('Merge Change-Set')) return undefined;
  const from = typeof start === 'string' ? start : (await s.folders.pick('merge the change-set of'))?.uri.fsPath;
  if (!from) return undefined;
  const set =
    typeof given === 'string'
      ? given
      : await vscode.window.showInputBox({
          title: 'Orchestrator: Merge Change-Set',
          prompt: "The change-set's branch, the same name in each repository of .claude/workspace.yaml",
          validateInput: (text) => (/^[\w./-]+$/.test(text.trim()) ? undefined : 'a branch name'),
        });
  if (!set?.trim()) return undefined;
  const yes = await vscode.window.showWarningMessage(
    `Merge the change-set ${set}?`,
    { modal: true, detail: 'Each repository holding the branch merges, producers first, only when all can.' },
    'Merge',
  );
  if (yes !== 'Merge') return undefined;
  const engine = s.engine;
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Orchestrator: change-set ${set}`, cancellable: true },
    (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const say = (member: string, step: string) => progress.report({ message: `${member}: ${step}` });
      return engine.mergeChangeSet(from, set.trim(), {
        trusted: vscode.workspace.isTrusted,
        signal: abort.signal,
        onStart: say,
        onStep: (member, step) => {
          say(member, step);
          s.log.write('info', `change-set ${set}: ${member}: ${step}`);
        },
      });
    },
  );
  for (const m of report.members)
    s.log.write('info', `change-set ${set}: ${m.name} ${m.status}${m.reason ? ` (${m.reason})` : ''}`);
  const show = (choice: string | undefined) => choice === 'Show Log' && s.log.show();
  const names = report.members.map((m) => m.name).join(', ');
  if (report.outcome === 'merged')
    void vscode.window
      .showInformationMessage(`Orchestrator: change-set ${set} merged, producers first: ${names}.`, 'Show Log')
      .then(show);
  else if (report.outcome === 'held')
    void vscode.window
      .showErrorMessage(
        `Orchestrator: nothing merged: ${report.held!.member} holds the change-set ${set}: ${report.held!.reason}`,
        'Show Log',
      )
      .then(show);
  else
    void vscode.window
      .showErrorMessage(
        `Orchestrator: the change-set ${set} could not finish: ${report.held!.member}: ${report.held!.reason}. Revert proposed: ${(report.revert ?? []).join('; ')}`,
        'Show Log',
      )
      .then(show);
  return report;
}
