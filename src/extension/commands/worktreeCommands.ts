/**
 * Apply, Create Branch and Discard for a run in its own worktree (issue 22): the sidebar's
 * buttons on a finished worktree run, or the palette with a pick of the runs waiting.
 */
import * as vscode from 'vscode';
import type { RunInfo } from '../../core/api';
import { requireTrust, RUNS_GIT } from '../host/trust';
import { stringArg, type Services } from '../services';
import { pickRun } from './pickRun';

interface Conflict {
  path: string;
  reason: string;
  ours?: string;
  theirs?: string;
  merged?: string;
}

const waiting = (run: RunInfo): boolean => run.worktree?.outcome === 'pending' && run.status !== 'running';
const finished = (run: RunInfo): boolean => waiting(run) && run.status === 'completed';

async function target(
  s: Services,
  arg: unknown,
  purpose: string,
  filter: (run: RunInfo) => boolean,
): Promise<{ ws: string; runId: string } | undefined> {
  if (!requireTrust(purpose, RUNS_GIT)) return undefined;
  const folder = stringArg(arg) ? s.folders.current() : await s.folders.pick(`${purpose.toLowerCase()} a run in`);
  if (!folder) return undefined;
  const ws = folder.uri.fsPath;
  const runId = await pickRun(s, ws, { arg, purpose: purpose.toLowerCase(), filter });
  return runId ? { ws, runId } : undefined;
}

/** After apply, branch or discard the run's lane goes; the lists show what became of it. */
function done(s: Services, runId: string, message: string): void {
  s.store.dispatch({ type: 'lane.close', runId });
  s.log.write('info', message);
  s.specs.refreshSoon();
  void vscode.window.showInformationMessage(`Orchestrator: ${message}`);
}

export async function applyRun(s: Services, arg?: unknown): Promise<void> {
  const picked = await target(s, arg, 'Apply', finished);
  if (!picked) return;
  try {
    const report = await s.engine.applyRun(picked.ws, picked.runId);
    const count = report.written.length + report.merged.length + report.deleted.length;
    const merged = report.merged.length > 0 ? ` (${report.merged.length} merged with your edits)` : '';
    done(s, picked.runId, `applied run ${picked.runId}: ${count} file(s)${merged}; nothing staged or committed.`);
  } catch (err) {
    const conflicts =
      (err as { code?: unknown; conflicts?: Conflict[] }).code === 'E_CONFLICT'
        ? (err as { conflicts: Conflict[] }).conflicts
        : undefined;
    if (!conflicts) throw err;
    s.log.write('warn', (err as Error).message);
    const choice = await vscode.window.showWarningMessage(
      `Orchestrator: apply stopped — ${conflicts.length} file(s) changed both by you and by the run (${conflicts.map((c) => c.path).join(', ')}). Nothing was written.`,
      'Show Both Sides',
    );
    if (choice === 'Show Both Sides') await showConflicts(picked.runId, conflicts);
  }
}

export async function branchRun(s: Services, arg?: unknown): Promise<void> {
  const picked = await target(s, arg, 'Create Branch', finished);
  if (!picked) return;
  const made = await s.engine.branchRun(picked.ws, picked.runId);
  done(s, picked.runId, `run ${picked.runId} kept as branch ${made.branch}; your checkout is as it was.`);
}

export async function discardRun(s: Services, arg?: unknown): Promise<void> {
  const picked = await target(s, arg, 'Discard', waiting);
  if (!picked) return;
  const answer = await vscode.window.showWarningMessage(
    `Discard run ${picked.runId}?`,
    { modal: true, detail: 'Its worktree and everything the run did there are removed. Your checkout is not touched.' },
    'Discard',
  );
  if (answer !== 'Discard') return;
  await s.engine.discardRun(picked.ws, picked.runId);
  done(s, picked.runId, `discarded run ${picked.runId}.`);
}

/** Both sides of each conflict in one read-only-looking document (nothing is written to the files). */
async function showConflicts(runId: string, conflicts: Conflict[]): Promise<void> {
  const fence = (text: string) => `\`\`\`\`\n${text.endsWith('\n') ? text : `${text}\n`}\`\`\`\``;
  const parts = [`# Apply of run ${runId} stopped: nothing was written`, ''];
  for (const c of conflicts) {
    parts.push(`## ${c.path}`, '', c.reason, '');
    if (c.merged !== undefined) parts.push(fence(c.merged), '');
    else {
      if (c.ours !== undefined) parts.push('Your checkout:', '', fence(c.ours), '');
      if (c.theirs !== undefined) parts.push('The run:', '', fence(c.theirs), '');
    }
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: parts.join('\n') });
  await vscode.window.showTextDocument(doc, { preview: true });
}
