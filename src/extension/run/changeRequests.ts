/**
 * The sidebar's Request change: the request goes into the run's inbox (engine.requestChange,
 * queue only). The run going in this window picks it up between steps and asks for the
 * amendment's approval in the sidebar, like any spec; a stopped run is resumed with it.
 */
import * as vscode from 'vscode';
import type { Engine } from '../engine';
import type { RunController } from './runController';

export interface ChangeRequestDeps {
  engine: Pick<Engine, 'requestChange'>;
  runs: Pick<RunController, 'busy' | 'workspace'>;
  /** The run the sidebar shows going right now, if any. */
  liveRunId: () => string | undefined;
  workspace: () => string | undefined;
  notice: (level: 'info' | 'warn' | 'error', text: string) => void;
}

export async function requestRunChange(deps: ChangeRequestDeps, runId: string, request: string): Promise<void> {
  const ws = deps.runs.workspace ?? deps.workspace();
  if (!ws) return;
  const live = deps.runs.busy && deps.liveRunId() === runId;
  if (!live && deps.runs.busy) {
    deps.notice('warn', 'Another run is going in this window: request the change once it ends, or on that run.');
    return;
  }
  try {
    const outcome = await deps.engine.requestChange(runId, request, { workspace: ws }, { resume: false });
    if (live) {
      deps.notice(
        'info',
        `Change request ${outcome.changeId} sent: the run picks it up between steps, then asks you to approve the amendment.`,
      );
      return;
    }
  } catch (err) {
    deps.notice('error', `The change was not requested: ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  // A stopped run continues with the request (the amendment's approval shows in the sidebar).
  await vscode.commands.executeCommand('orchestrator.resumeRun', runId);
}
