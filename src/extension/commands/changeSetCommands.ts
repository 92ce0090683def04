/**
 * Check Change-Set on Combined Heads (issue 73): the editor's side of `check workspace --combined`.
 * The change-set's `.claude/workspace.yaml` is found from the folder up; each member, producers
 * first, is checked in a throwaway worktree with its producers' work trees linked in. Each step
 * shows as it starts and Cancel stops it; every outcome goes to the log, and one message says which
 * members failed, naming their failing tests. Returns the report (scripts and tests).
 */
import * as vscode from 'vscode';
import type { Returns } from '../../core/engine';
import { requireTrust } from '../host/trust';
import type { Services } from '../services';

type Report = Returns<'checkCombinedHeads'>;

export async function checkChangeSet(s: Services, start?: unknown): Promise<Report | undefined> {
  if (!requireTrust('Check Change-Set on Combined Heads')) return undefined;
  const from = typeof start === 'string' ? start : (await s.folders.pick('check the change-set of'))?.uri.fsPath;
  if (!from) return undefined;
  const engine = s.engine;
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Orchestrator: the change-set', cancellable: true },
    (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return engine.checkCombinedHeads(from, {
        trusted: vscode.workspace.isTrusted,
        signal: abort.signal,
        onStart: (member, command) => progress.report({ message: `${member}: ${command}` }),
      });
    },
  );
  s.log.write('info', `change-set ${report.file} on the combined heads, producers first:`);
  for (const line of reportLines(report)) s.log.write('info', line);
  const failed = report.members.filter((m) => m.status === 'failed');
  const unchecked = report.members.filter((m) => m.status === 'not-checked').map((m) => m.name);
  const notChecked = unchecked.length ? ` Not checked: ${unchecked.join(', ')}.` : '';
  const show = (choice: string | undefined) => choice === 'Show Log' && s.log.show();
  if (failed.length === 0)
    void vscode.window
      .showInformationMessage(`Orchestrator: every member passed on the combined heads.${notChecked}`, 'Show Log')
      .then(show);
  else
    void vscode.window
      .showErrorMessage(
        `Orchestrator: ${failed.length} of ${report.members.length} members failed on the combined heads: ${failed.map(failure).join('; ')}.${notChecked}`,
        'Show Log',
      )
      .then(show);
  return report;
}

/** A failed member in one phrase: its failing tests, else its failing commands. */
function failure(member: Report['members'][number]): string {
  const tests = member.commands.flatMap((c) => (c.outcome.status === 'failed' ? (c.outcome.failing ?? []) : []));
  const commands = member.commands.filter((c) => c.outcome.status !== 'passed').map((c) => c.command);
  return `${member.name} (${tests.length ? tests.join(', ') : commands.join(', ') || member.reason})`;
}

function reportLines(report: Report): string[] {
  return report.members.flatMap((m) => [
    `  ${m.name}: ${m.status}${m.reason ? ` (${m.reason})` : ''}${m.linked.map((l) => `; ${l.producer} linked via ${l.via}`).join('')}`,
    ...m.linked.filter((l) => l.outcome).map((l) => `    link ${l.step}: ${l.outcome!.status}`),
    ...m.commands.map((c) => `    ${c.command}: ${c.outcome.status}`),
  ]);
}
