/** New Feature, New Bugfix, Resume Run, Cancel Run. */
import * as vscode from 'vscode';
import type { EngineEvent } from '../../core/events';
import { RUNS_GIT, requireTrust } from '../host/trust';
import { stringArg, type Services } from '../services';
import { readJournal } from '../run/runHistory';
import { askWithIsolation, startingIsolation, type IsolatedAnswer, type Isolation } from '../run/isolationChoice';
import { waivableStop, waiverQuestion } from '../run/untestedWaiver';
import { acceptQuestion, uncheckedStop } from '../run/uncheckedAcceptance';
import { workflowOption, type WorkflowOption } from '../run/workflowChoice';
import { dispatchesToPool, sendToPool } from '../pool/poolDispatch';
import { changeSetRoot, startChangeSet } from './changeSetFeature';

/** The request, where to run it and the workflow it follows (the input box's buttons; see isolationChoice.ts). */
function askRequest(
  kind: 'feature' | 'bugfix',
  isolation: Isolation,
  workflow: WorkflowOption,
  draft?: string,
): Promise<IsolatedAnswer | undefined> {
  return askWithIsolation(
    {
      title: kind === 'feature' ? 'Orchestrator: New Feature' : 'Orchestrator: New Bugfix',
      prompt:
        kind === 'feature'
          ? 'Describe the feature to build'
          : 'Describe the bug: what happens, what should happen, where',
      placeHolder:
        kind === 'feature'
          ? 'e.g. Add a Supplier entity with a contacts list'
          : 'e.g. Saving an order with no lines returns 500',
      ...(draft ? { value: draft } : {}),
      validate: (v) => (v.trim().length < 3 ? 'Please describe it in a few words.' : undefined),
    },
    isolation,
    workflow,
  );
}

/** The spec phase runs no workspace commands, so it is allowed in Restricted Mode; approval is not. */
async function startRun(s: Services, kind: 'feature' | 'bugfix', arg: unknown): Promise<void> {
  // A workspace of repositories (issue 73): the feature is one change-set across them.
  const setRoot = kind === 'feature' ? await changeSetRoot(s) : undefined;
  if (setRoot === null) return;
  if (setRoot) return startChangeSet(s, setRoot, stringArg(arg));
  const folder = await s.folders.pick(kind === 'feature' ? 'build the feature in' : 'fix the bug in');
  if (!folder) return;
  if (!(await hasConfig(folder.uri))) {
    const initialize = 'Initialize Workspace';
    const inMemory = 'Use the Census in Memory';
    const answer = await vscode.window.showInformationMessage(
      `${folder.name} has no .claude/orchestrator.yaml.`,
      {
        modal: true,
        detail:
          'Initialize Workspace proposes layers, owns and validate commands from a census of the repository, for you to edit and accept. Or the run can use the same census in memory, writing nothing.',
      },
      initialize,
      inMemory,
    );
    if (answer === initialize) return s.init.propose(folder);
    if (answer !== inMemory) return;
  }
  // `runs.dispatch: pool` (issue 28): refused in Restricted Mode before the request is asked.
  const pooled = await dispatchesToPool(folder.uri.fsPath);
  if (pooled && !requireTrust(`${kind === 'feature' ? 'New Feature' : 'New Bugfix'} (runs.dispatch: pool)`, RUNS_GIT))
    return;
  const initial = await startingIsolation(s.engine, folder.uri.fsPath);
  const given = stringArg(arg);
  const workflows = workflowOption(s.engine, folder.uri.fsPath, kind);
  const answer: IsolatedAnswer | undefined = given
    ? { text: given, isolation: initial }
    : await askRequest(kind, initial, workflows, s.drafts.take(folder.uri.fsPath, kind));
  if (!answer) return;
  const request = answer.text;
  // A feature's default is `feature` itself: the engine is asked for a workflow only when another was chosen.
  const workflow = {
    ...(answer.workflow !== undefined && !(kind === 'feature' && answer.workflow === workflows.initial)
      ? { workflow: answer.workflow }
      : {}),
    // The waiver button (a feature's workflow with a `trace` gate), as `feature --allow-untested`.
    ...(answer.allowUntested ? { allowUntested: true } : {}),
  };
  // `runs.dispatch: pool` (issue 28): to the pool, as `feature|bugfix … --pool`, unless a worktree was chosen here (as `--worktree`).
  if (
    pooled &&
    (await dispatchesToPool(folder.uri.fsPath, { worktree: answer.isolation === 'worktree' && initial !== 'worktree' }))
  ) {
    await sendToPool(
      s,
      folder.uri.fsPath,
      { kind, request, flags: workflow, labels: [] },
      kind === 'feature' ? 'New Feature' : 'New Bugfix',
    );
    return;
  }
  await s.runs.run({
    kind,
    label: request,
    workspace: folder.uri.fsPath,
    needsKey: true,
    isolation: answer.isolation,
    execute: (o) =>
      kind === 'feature'
        ? s.engine.runFeature(request, { ...o, ...workflow })
        : s.engine.runBugfix(request, { ...o, ...workflow }),
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
  const found = await runToResume(s, arg);
  if (found) await resumeIn(s, found, {});
}

/**
 * Allow Untested and Resume (a workflow step's button, or the palette): the run a gate stopped
 * only for requirements with no test resumes with the waiver, as `orchestrator resume
 * --allow-untested` (journaled `trace.waived`, marked in the matrix), once the user confirms the
 * requirements it names. `phase`: the step's, so a stale view cannot waive another gate.
 */
export async function allowUntested(s: Services, arg?: unknown, phase?: unknown): Promise<void> {
  if (!requireTrust('Allow Untested and Resume')) return;
  const found = await runToResume(s, arg);
  if (!found) return;
  const stop = waivableStop(found.history);
  if (!stop || (stringArg(phase) !== undefined && stop.phase !== phase)) {
    void vscode.window.showInformationMessage(
      `Orchestrator: run ${found.runId} is not stopped at a gate for untested requirements alone; nothing to waive.`,
    );
    return;
  }
  const question = waiverQuestion(found.runId, stop);
  if (
    (await vscode.window.showWarningMessage(
      question.title,
      { modal: true, detail: question.detail },
      question.action,
    )) !== question.action
  )
    return;
  s.log.write(
    'info',
    `run ${found.runId}: untested requirements ${stop.requirements.join(', ')} waived at phase ${stop.phase} (allow untested)`,
  );
  await resumeIn(s, found, { allowUntested: true });
}

/**
 * Accept Unchecked and Complete (the stop report's button, or the palette): the run that ended
 * `unchecked` resumes with `allowUnchecked`, as `orchestrator resume --allow-unchecked`, once the
 * user confirms the files it names (issue 70).
 */
export async function acceptUnchecked(s: Services, arg?: unknown): Promise<void> {
  if (!requireTrust('Accept Unchecked and Complete')) return;
  const found = await runToResume(s, arg);
  if (!found) return;
  const stop = uncheckedStop(found.history);
  if (!stop) {
    void vscode.window.showInformationMessage(
      `Orchestrator: run ${found.runId} did not end unchecked; nothing to accept.`,
    );
    return;
  }
  const question = acceptQuestion(found.runId, stop);
  const answer = await vscode.window.showWarningMessage(
    question.title,
    { modal: true, detail: question.detail },
    question.action,
  );
  if (answer !== question.action) return;
  s.log.write('info', `run ${found.runId}: work nothing checked accepted (accept unchecked)`);
  await resumeIn(s, found, { allowUnchecked: true });
}

interface RunToResume {
  ws: string;
  runId: string;
  label: string;
  history: EngineEvent[];
}

async function runToResume(s: Services, arg: unknown): Promise<RunToResume | undefined> {
  const folder = stringArg(arg) ? s.folders.current() : await s.folders.pick('resume a run in');
  if (!folder) return undefined;
  const ws = folder.uri.fsPath;
  // Without an id, the same run as a bare `orchestrator resume`: the latest that did not complete.
  const latest = stringArg(arg) ? undefined : await s.engine.latestResumableRun(ws);
  const runId = stringArg(arg) ?? latest?.runId;
  if (!runId) {
    void vscode.window.showInformationMessage(
      'Orchestrator: no run to resume — every run completed, saved its spec, or was rolled back.',
    );
    return undefined;
  }
  const info = latest ?? s.store.state.runs.find((r) => r.runId === runId);
  return { ws, runId, label: info?.request ?? `Resume ${runId}`, history: await readJournal(ws, runId) };
}

async function resumeIn(
  s: Services,
  run: RunToResume,
  extra: { allowUntested?: true; allowUnchecked?: true },
): Promise<void> {
  // A worktree run resumes in its worktree, in a lane beside the others.
  const isolation = run.history.some((e) => e.type === 'worktree.created') ? 'worktree' : 'in-place';
  await s.runs.run({
    kind: 'resume',
    label: run.label,
    workspace: run.ws,
    needsKey: true,
    history: run.history,
    isolation,
    execute: (o) => s.engine.resumeRun(run.runId, { ...o, ...extra }),
  });
}

export function cancelRun(s: Services): void {
  if (!s.runs.cancel()) void vscode.window.showInformationMessage('Orchestrator: no run in progress.');
}
