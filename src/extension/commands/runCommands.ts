/** New Feature, New Bugfix, Resume Run, Cancel Run. */
import * as vscode from 'vscode';
import { requireTrust } from '../host/trust';
import { stringArg, type Services } from '../services';
import { readJournal } from '../run/runHistory';
import { askWithIsolation, startingIsolation, type IsolatedAnswer, type Isolation } from '../run/isolationChoice';
import { workflowOption, type WorkflowOption } from '../run/workflowChoice';

/** The request, where to run it and the workflow it follows (the input box's buttons; see isolationChoice.ts). */
function askRequest(kind: 'feature' | 'bugfix', isolation: Isolation, workflow: WorkflowOption, draft?: string): Promise<IsolatedAnswer | undefined> {
  return askWithIsolation(
    {
      title: kind === 'feature' ? 'Orchestrator: New Feature' : 'Orchestrator: New Bugfix',
      prompt: kind === 'feature' ? 'Describe the feature to build' : 'Describe the bug: what happens, what should happen, where',
      placeHolder: kind === 'feature' ? 'e.g. Add a Supplier entity with a contacts list' : 'e.g. Saving an order with no lines returns 500',
      ...(draft ? { value: draft } : {}),
      validate: (v) => (v.trim().length < 3 ? 'Please describe it in a few words.' : undefined),
    },
    isolation,
    workflow,
  );
}

/** The spec phase runs no workspace commands, so it is allowed in Restricted Mode; approval is not. */
async function startRun(s: Services, kind: 'feature' | 'bugfix', arg: unknown): Promise<void> {
  const folder = await s.folders.pick(kind === 'feature' ? 'build the feature in' : 'fix the bug in');
  if (!folder) return;
  if (!(await hasConfig(folder.uri))) {
    const initialize = 'Initialize Workspace';
    const inMemory = 'Use the Census in Memory';
    const answer = await vscode.window.showInformationMessage(
      `${folder.name} has no .claude/orchestrator.yaml.`,
      { modal: true, detail: 'Initialize Workspace proposes layers, owns and validate commands from a census of the repository, for you to edit and accept. Or the run can use the same census in memory, writing nothing.' },
      initialize,
      inMemory,
    );
    if (answer === initialize) return s.init.propose(folder);
    if (answer !== inMemory) return;
  }
  const initial = await startingIsolation(s.engine, folder.uri.fsPath);
  const given = stringArg(arg);
  const workflows = workflowOption(s.engine, folder.uri.fsPath, kind);
  const answer: IsolatedAnswer | undefined = given ? { text: given, isolation: initial } : await askRequest(kind, initial, workflows, s.drafts.take(folder.uri.fsPath, kind));
  if (!answer) return;
  const request = answer.text;
  // A feature's default is `feature` itself: the engine is asked for a workflow only when another was chosen.
  const workflow = answer.workflow !== undefined && !(kind === 'feature' && answer.workflow === workflows.initial) ? { workflow: answer.workflow } : {};
  await s.runs.run({
    kind,
    label: request,
    workspace: folder.uri.fsPath,
    needsKey: true,
    isolation: answer.isolation,
    execute: (o) => (kind === 'feature' ? s.engine.runFeature(request, { ...o, ...workflow }) : s.engine.runBugfix(request, { ...o, ...workflow })),
  });
}

async function hasConfig(folder: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, '.claude', 'orchestrator.yaml'));
    return true;
  } catch {
    return false;
  }
}

export const newFeature = (s: Services, arg?: unknown) => startRun(s, 'feature', arg);
export const newBugfix = (s: Services, arg?: unknown) => startRun(s, 'bugfix', arg);

export async function resumeRun(s: Services, arg?: unknown): Promise<void> {
  if (!requireTrust('Resume Run')) return;
  const folder = stringArg(arg) ? s.folders.current() : await s.folders.pick('resume a run in');
  if (!folder) return;
  const ws = folder.uri.fsPath;
  // Without an id, the same run as a bare `orchestrator resume`: the latest that did not complete.
  const latest = stringArg(arg) ? undefined : await s.engine.latestResumableRun(ws);
  const runId = stringArg(arg) ?? latest?.runId;
  if (!runId) {
    void vscode.window.showInformationMessage('Orchestrator: no run to resume — every run completed, saved its spec, or was rolled back.');
    return;
  }
  const info = latest ?? s.store.state.runs.find((r) => r.runId === runId);
  const history = await readJournal(ws, runId);
  // A worktree run resumes in its worktree, in a lane beside the others.
  const isolation = history.some((e) => e.type === 'worktree.created') ? 'worktree' : 'in-place';
  await s.runs.run({ kind: 'resume', label: info?.request ?? `Resume ${runId}`, workspace: ws, needsKey: true, history, isolation, execute: (o) => s.engine.resumeRun(runId, o) });
}

export function cancelRun(s: Services): void {
  if (!s.runs.cancel()) void vscode.window.showInformationMessage('Orchestrator: no run in progress.');
}
