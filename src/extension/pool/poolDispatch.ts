/**
 * New Feature, New Bugfix and Approve with `runs.dispatch: pool` in the workspace's config (issue
 * 28): the run goes to the pool of workers instead of running here, through the same engine call
 * as the CLI's `… --pool` (src/pool/dispatch.ts): the base commit and the user's uncommitted
 * changes pushed on a private ref of the team's remote, the request and its flags in PostgreSQL.
 *
 * Refused in Restricted Mode: dispatching runs git in the workspace and contacts the server the
 * workspace names. The pool's code (dist/pool.js) is loaded only when a run is dispatched.
 */
import * as vscode from 'vscode';
import type * as PoolBundle from '../../pool/index';
import { loadEngine } from '../engine';
import { RUNS_GIT, requireTrust } from '../host/trust';
import { readSettings } from '../config/settings';
import type { EventLog } from '../log/eventLog';
import { poolBundle } from './poolBundle';
import { runSettings } from '../config/settingValues';

/**
 * Whether the run goes to the pool: the engine's one rule (goesToPool, as the CLI's `--pool` and
 * `--worktree`): the workspace's `runs.dispatch: pool`, unless a worktree was chosen here.
 */
export function dispatchesToPool(workspace: string, asked: { worktree?: boolean } = {}): Promise<boolean> {
  return loadEngine().goesToPool(workspace, asked);
}

export interface PoolDispatchDeps {
  log: EventLog;
  /** Shows the sidebar, whose Pool section follows the run from now on. */
  revealSidebar(): void;
}

/**
 * Puts the run in the pool; says "Sent to the pool as <runId>" with a button showing the sidebar's
 * Pool section, or one line of error. Returns the run id, or undefined when it was not sent.
 */
export async function sendToPool(
  deps: PoolDispatchDeps,
  workspace: string,
  input: PoolBundle.DispatchInput,
  action: string,
): Promise<string | undefined> {
  if (!requireTrust(`${action} (runs.dispatch: pool)`, RUNS_GIT)) return undefined;
  // The window's runner and attempts (`orchestrator.runner`, `orchestrator.attempts`) travel with
  // the run, as `--runner` and `--attempts` do (a CLI agent's runner adds its label); the chat's own win.
  const request: PoolBundle.DispatchInput = {
    ...input,
    flags: { ...runSettings(readSettings(vscode.Uri.file(workspace)), input.kind), ...input.flags },
  };
  try {
    const run = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Orchestrator: sending ${action} to the pool…` },
      () => poolBundle().dispatchToPool(workspace, request),
    );
    deps.log.write(
      'info',
      `pool: ${input.kind} dispatched as ${run.runId} (base ${run.baseCommit.slice(0, 12)}, changes on ${run.changesRef})`,
    );
    const show = 'Show Pool';
    void vscode.window
      .showInformationMessage(`Orchestrator: Sent to the pool as ${run.runId}.`, show)
      .then((choice) => choice === show && deps.revealSidebar());
    return run.runId;
  } catch (error) {
    // One line: no remote, PostgreSQL down, not a repository, nothing committed yet.
    const message = firstLine((error as Error).message);
    deps.log.write('warn', `pool: ${input.kind} not dispatched: ${message}`);
    void vscode.window.showErrorMessage(`Orchestrator: not sent to the pool: ${message}`);
    return undefined;
  }
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((line) => line.trim())
      ?.trim() ?? 'unknown error'
  );
}
