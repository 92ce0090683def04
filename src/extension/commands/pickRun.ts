/**
 * Which run a command is about: the id passed by the sidebar, else the run shown in the
 * sidebar, else a QuickPick of the folder's runs (newest first).
 */
import * as vscode from 'vscode';
import type { RunInfo } from '../../core/api';
import { stringArg, type Services } from '../services';

export interface PickRunOptions {
  arg: unknown;
  purpose: string;
  filter?: (run: RunInfo) => boolean;
}

export async function pickRun(
  s: Services,
  workspace: string,
  { arg, purpose, filter }: PickRunOptions,
): Promise<string | undefined> {
  const filtered = filter !== undefined;
  const explicit = stringArg(arg);
  if (explicit) return explicit;
  let runs: RunInfo[] = [];
  try {
    runs = (await s.engine.listRuns(workspace))
      .filter(filter ?? (() => true))
      .sort((a, b) => b.started.localeCompare(a.started));
  } catch (err) {
    s.log.write('warn', `listing runs failed: ${String(err)}`);
  }
  // The run the sidebar shows is the one the user is looking at.
  const shown = s.store.state.run?.runId;
  if (shown && (runs.some((r) => r.runId === shown) || (runs.length === 0 && !filtered))) return shown;
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(`Orchestrator: no run to ${purpose}.`);
    return undefined;
  }
  if (runs.length === 1) return runs[0]!.runId;
  const picked = await vscode.window.showQuickPick(
    runs.map((r) => ({
      label: r.request.slice(0, 80) || r.runId,
      description: [r.kind, r.status].filter(Boolean).join(' · '),
      detail: `${r.runId} · ${r.started}${r.problem ? ` · ${r.problem}` : ''}`,
      runId: r.runId,
    })),
    { title: `Orchestrator: run to ${purpose}`, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true },
  );
  return picked?.runId;
}
