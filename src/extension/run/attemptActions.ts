/**
 * The sidebar's attempts (issue 47). Diff: the attempt's changes against the attempts' base, read
 * from its refs (engine.attemptDiff) and shown beside its figures. Use this attempt: the swap goes
 * to the run (engine.useAttempt, queue only, as Request change does with engine.requestChange):
 * the run going in this window, or in the process that runs it, takes it between waves or before
 * its review and runs the layers built on it again; a stopped run is resumed here with it.
 */
import * as vscode from 'vscode';
import { attemptRefusal, type RunView } from '../../shared/viewState';
import type { Engine } from '../engine';
import type { ViewStore } from '../view/store';
import { attemptDiffView } from '../view/attemptsView';
import type { RunController } from './runController';

export interface AttemptActionDeps {
  engine: Pick<Engine, 'attemptDiff' | 'useAttempt'>;
  store: Pick<ViewStore, 'state' | 'dispatch'>;
  runs: Pick<RunController, 'busy' | 'workspace'>;
  workspace: () => string | undefined;
  notice: (level: 'info' | 'warn' | 'error', text: string) => void;
}

/** Where the run's journal is: the folder of the run going, else the workspace's. */
const workspaceOf = (deps: AttemptActionDeps): string | undefined => deps.runs.workspace ?? deps.workspace();

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The run of this id the sidebar shows: the in-place one or a lane. */
const shownRun = (deps: AttemptActionDeps, runId: string): RunView | undefined =>
  [deps.store.state.run, ...(deps.store.state.lanes ?? [])].find((run) => run?.runId === runId);

export async function showAttemptDiff(deps: AttemptActionDeps, runId: string, layer: string, k: number): Promise<void> {
  // Reading refs runs git: never in Restricted Mode.
  if (!vscode.workspace.isTrusted) {
    deps.notice('warn', "Trust this workspace to read an attempt's diff (it runs git).");
    return;
  }
  const ws = workspaceOf(deps);
  if (!ws) return;
  try {
    deps.store.dispatch({
      type: 'attempt.diff',
      runId,
      diff: attemptDiffView(await deps.engine.attemptDiff(ws, runId, layer, k)),
    });
  } catch (err) {
    deps.notice('error', `The diff of ${layer}'s attempt ${k} could not be read: ${message(err)}`);
  }
}

export async function useRunAttempt(deps: AttemptActionDeps, runId: string, layer: string, k: number): Promise<void> {
  const ws = workspaceOf(deps);
  const run = shownRun(deps, runId);
  if (!ws || !run) return;
  // The engine's rule on the run as shown (the engine applies it again on the journal: the view may be stale).
  const tried = run.attempts?.find((l) => l.layer === layer);
  const refused = tried ? attemptRefusal(run, tried, k) : `The run tried ${layer} in no attempts.`;
  if (refused === 'current') {
    deps.notice('info', `${layer}'s attempt ${k} is already the one in the run.`);
    return;
  }
  if (refused) {
    deps.notice('warn', refused);
    return;
  }
  const live = run.live && deps.runs.busy;
  if (!live && !run.elsewhere && deps.runs.busy) {
    deps.notice('warn', 'Another run is going in this window: use the attempt once it ends.');
    return;
  }
  const now = tried?.picked?.k;
  const instead = now !== undefined ? ` instead of attempt ${now}` : '';
  try {
    const outcome = await deps.engine.useAttempt(runId, layer, k, { workspace: ws }, { resume: false });
    if (outcome.status === 'current') {
      deps.notice('info', `${layer}'s attempt ${k} is already the one in the run.`);
      return;
    }
    if (live || run.elsewhere) {
      deps.notice(
        'info',
        `${layer}'s attempt ${k} goes into the run${instead}: ${live ? 'the run' : 'the process running it'} takes it between waves or before the review, then runs the layers built on ${layer} again.`,
      );
      return;
    }
  } catch (err) {
    deps.notice('error', `The attempt was not used: ${message(err)}`);
    return;
  }
  // A stopped run continues with it: the swap first, then the layers after it again.
  deps.notice('info', `Resuming run ${runId} with ${layer}'s attempt ${k}${instead}.`);
  await vscode.commands.executeCommand('orchestrator.resumeRun', runId);
}
