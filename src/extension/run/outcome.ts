/** One notification when a run ends, with the next useful action as a button. */
import * as vscode from 'vscode';
import type { RunSummary } from '../../core/api';
import { spendLabel } from '../../shared/viewState';

async function offer(
  show: typeof vscode.window.showInformationMessage,
  message: string,
  actions: Record<string, string>,
): Promise<void> {
  const choice = await show(message, ...Object.keys(actions));
  const command = choice && actions[choice];
  if (command) await vscode.commands.executeCommand(command);
}

export function announceOutcome(summary: RunSummary): void {
  // Older engines' summaries have no request counts.
  const cost = spendLabel({
    costUsd: summary.costUsd,
    requests: summary.requests ?? 0,
    unpricedRequests: summary.unpricedRequests ?? 0,
  });
  switch (summary.status) {
    case 'completed':
      void offer(
        vscode.window.showInformationMessage,
        `Orchestrator: run completed — ${summary.filesChanged.length} files changed · ${cost}`,
        {
          'Show Changes': 'orchestrator.showChanges',
        },
      );
      break;
    case 'spec-saved':
      void offer(
        vscode.window.showInformationMessage,
        `Orchestrator: spec saved for later${summary.specPath ? ` (${summary.specPath})` : ''}.`,
        {
          'Open Spec': 'orchestrator.openSpec',
        },
      );
      break;
    case 'stopped':
      void offer(
        vscode.window.showWarningMessage,
        `Orchestrator: pipeline stopped — ${summary.error ?? 'see the report in the sidebar'} · ${cost}`,
        {
          'Show Log': 'orchestrator.showLog',
          'Show Changes': 'orchestrator.showChanges',
        },
      );
      break;
    case 'unchecked':
      void offer(
        vscode.window.showWarningMessage,
        `Orchestrator: ended unchecked — no proof test and no validate command checked ${(summary.unchecked ?? []).map((l) => `${l.layer} (${l.files.length} file${l.files.length === 1 ? '' : 's'})`).join(', ')} · ${cost}`,
        {
          'Accept Unchecked…': 'orchestrator.acceptUnchecked',
          'Show Changes': 'orchestrator.showChanges',
        },
      );
      break;
    case 'cancelled':
      announceCancelled();
      break;
  }
}

export function announceCancelled(): void {
  void offer(vscode.window.showInformationMessage, 'Orchestrator: run cancelled.', {
    'Show Changes': 'orchestrator.showChanges',
  });
}
