/** Turns the sidebar's (already validated) messages into host actions. */
import * as vscode from 'vscode';
import type { WebviewMessage } from '../../shared/protocol';
import type { SpecDecisions } from '../host/specDecisions';
import { approveFromSidebar } from './approveFromSidebar';
import type { EventLog } from '../log/eventLog';
import type { InitController } from '../init/initController';
import type { PoolController } from '../pool/poolController';
import type { QueueController } from '../queue/queueController';
import type { RunController } from '../run/runController';
import type { RunnersController } from '../runners/runnersController';
import { insideWorkspace } from '../specs/specFiles';
import type { SpecsService } from '../specs/specsService';
import type { WorkspaceFolders } from '../workspace/folders';

export interface RouterDeps {
  decisions: SpecDecisions;
  runs: RunController;
  specs: SpecsService;
  folders: WorkspaceFolders;
  queue: QueueController;
  pool: PoolController;
  init: InitController;
  runners: RunnersController;
  log: EventLog;
  notice: (level: 'info' | 'warn' | 'error', text: string) => void;
  changeRequest: (runId: string, request: string) => Promise<void>;
  /** A layer's attempt (issue 47): its diff shown, or used instead of the one in the run (run/attemptActions.ts). */
  attempts: {
    diff: (runId: string, layer: string, k: number) => Promise<void>;
    use: (runId: string, layer: string, k: number) => Promise<void>;
  };
  /** The folder a run in its own worktree works in (its files are relative to it), while its lane is shown. */
  laneFolder: (lane: string) => string | undefined;
  /** The addresses of the GitHub links the run panel shows now (issue 39): the only ones opened. */
  shownLinks: () => string[];
}

export function createMessageRouter(deps: RouterDeps): (message: WebviewMessage) => void {
  return (message) => {
    void route(deps, message).catch((err: unknown) =>
      deps.log.write('error', `sidebar ${message.type}: ${String(err)}`),
    );
  };
}

async function route(deps: RouterDeps, message: WebviewMessage): Promise<void> {
  switch (message.type) {
    case 'ready':
      deps.runners.start();
      return deps.specs.refresh();
    case 'approve':
      if (message.phase !== undefined)
        return gateAnswer(deps, deps.decisions.approve(message.specId, message.phase), message.phase);
      // The pending decision, or else (once confirmed) a saved spec to implement now.
      return approveFromSidebar(message.specId, {
        decisions: deps.decisions,
        trusted: vscode.workspace.isTrusted,
        confirm: async (text, detail, action) =>
          (await vscode.window.showWarningMessage(text, { modal: true, detail }, action)) === action,
        implement: async (specId) => void (await vscode.commands.executeCommand('orchestrator.approveSpec', specId)),
      });
    case 'save':
      if (message.phase !== undefined)
        return gateAnswer(deps, deps.decisions.save(message.specId, message.phase), message.phase);
      if (!deps.decisions.save(message.specId)) deps.notice('warn', 'That spec is no longer waiting for a decision.');
      return;
    case 'requestChanges':
      if (message.phase !== undefined)
        return gateAnswer(
          deps,
          deps.decisions.requestChanges(message.specId, message.feedback, message.phase),
          message.phase,
          'Feedback sent: the phase runs again with it.',
        );
      if (deps.decisions.requestChanges(message.specId, message.feedback))
        deps.notice('info', 'Feedback sent to the spec agent; a revised spec follows.');
      else deps.notice('warn', 'That spec is no longer waiting for a decision.');
      return;
    case 'allowUntested':
      // The command reads the stop from the run's journal and asks the user to confirm the requirements it waives.
      await vscode.commands.executeCommand('orchestrator.allowUntested', message.runId, message.phase);
      return;
    case 'acceptUnchecked':
      // The command reads what nothing checked from the run's journal and asks the user to confirm it.
      await vscode.commands.executeCommand('orchestrator.acceptUnchecked', message.runId);
      return;
    case 'selectSpec':
      return deps.specs.select(message.id);
    case 'importFolder':
      return importListedFolder(deps, message.folder);
    case 'changeRequest':
      return deps.changeRequest(message.runId, message.request);
    case 'attemptDiff':
      return deps.attempts.diff(message.runId, message.layer, message.k);
    case 'useAttempt':
      return deps.attempts.use(message.runId, message.layer, message.k);
    case 'verifySpec':
      return deps.specs.verify(message.specId, vscode.workspace.isTrusted, message.strength === true);
    case 'cancel':
      if (!deps.runs.cancel(message.lane)) deps.notice('info', 'No run in progress.');
      return;
    case 'openFile':
      return openFile(deps, message.path, message.line, message.lane);
    case 'openLink':
      if (!deps.shownLinks().includes(message.url)) {
        deps.log.write('warn', 'sidebar: refused to open a link the run panel does not show');
        return;
      }
      await vscode.env.openExternal(vscode.Uri.parse(message.url, true));
      return;
    case 'runCommand':
      await vscode.commands.executeCommand(`orchestrator.${message.command}`, ...(message.arg ? [message.arg] : []));
      return;
    case 'assignLayer':
      return deps.specs.assignLayer(message.specId, message.task, message.layer).then(
        () => deps.notice('info', `Task ${message.task} goes to the ${message.layer} layer.`),
        (err: unknown) => deps.notice('error', `The layer was not set: ${(err as Error).message}`),
      );
    case 'setRunner': {
      const target = message.role ? { role: message.role } : message.layer ? { layer: message.layer } : undefined;
      if (!target) return;
      return deps.runners.choose(target, message.runner).then(
        (text) => deps.notice('info', text),
        (err: unknown) => deps.notice('error', `The runner was not set: ${(err as Error).message}`),
      );
    }
    case 'manageTrust':
      await vscode.commands.executeCommand('workbench.trust.manage');
      return;
    case 'queueCreate': {
      const id = await deps.queue
        .create(message.title, message.description)
        .catch((err: unknown) => deps.notice('error', `The task was not added: ${(err as Error).message}`));
      if (id) deps.notice('info', `Task ${id} added: outside agents can claim it over MCP.`);
      return;
    }
    case 'queueShowDiff':
      await deps.queue
        .showDiff(message.taskId, message.artifactId)
        .catch((err: unknown) => deps.notice('error', `The diff could not be shown: ${(err as Error).message}`));
      return;
    case 'poolApprove':
      return deps.pool
        .approve(message.specId)
        .catch((err: unknown) => deps.notice('error', `The pooled spec was not approved: ${(err as Error).message}`));
    case 'poolApply':
      return deps.pool.apply(message.runId);
    case 'poolStop':
      return deps.pool
        .stopRun(message.runId)
        .catch((err: unknown) => deps.notice('error', `The pooled run was not stopped: ${(err as Error).message}`));
    case 'poolShow':
      return deps.pool
        .showRun(message.runId)
        .catch((err: unknown) =>
          deps.notice('error', `The pooled run's journal could not be read: ${(err as Error).message}`),
        );
    case 'initAccept':
      return deps.init.accept(message.layers);
    case 'initCancel':
      return deps.init.cancel();
    case 'queueReview': {
      const outcome = await deps.queue
        .review(message.taskId, message.artifactId, message.verdict, message.comment)
        .catch((err: unknown) => ({ level: 'error' as const, text: (err as Error).message }));
      deps.notice(outcome.level, outcome.text);
      return;
    }
  }
}

/** A workflow phase's gate answered from its step (issue 29), or a stale view's answer refused. */
function gateAnswer(deps: RouterDeps, answered: boolean, phase: string, done?: string): void {
  if (!answered) deps.notice('warn', `Phase ${phase}'s gate is no longer waiting for a decision.`);
  else if (done) deps.notice('info', done);
}

/**
 * The sidebar's Import on a Kiro or Spec Kit folder: only a folder the list shows (never any
 * path a webview names), inside the workspace, through the Import command, which selects the
 * new spec and offers to approve it.
 */
async function importListedFolder(deps: RouterDeps, folder: string): Promise<void> {
  const listed = deps.specs.listed(folder);
  const ws = deps.folders.current()?.uri.fsPath;
  const path = listed?.foreign && ws ? insideWorkspace(ws, folder) : undefined;
  if (!listed?.foreign || !path) {
    deps.notice('warn', `${folder} is not a Kiro or Spec Kit folder of this workspace's list.`);
    return;
  }
  if (listed.foreign.refusal) {
    deps.notice('warn', listed.foreign.refusal);
    return;
  }
  await vscode.commands.executeCommand('orchestrator.importSpec', path);
}

/** Opens a review issue's file at its line (a worktree run's in its worktree); paths outside the workspace are refused. */
async function openFile(deps: RouterDeps, relPath: string, line: number | undefined, lane?: string): Promise<void> {
  const ws = lane !== undefined ? deps.laneFolder(lane) : (deps.runs.workspace ?? deps.folders.current()?.uri.fsPath);
  const file = ws ? insideWorkspace(ws, relPath) : undefined;
  if (!file) {
    deps.log.write('warn', `sidebar: refused to open ${relPath} (outside the workspace)`);
    return;
  }
  const position = new vscode.Position(Math.max(0, (line ?? 1) - 1), 0);
  try {
    await vscode.window.showTextDocument(vscode.Uri.file(file), {
      selection: new vscode.Range(position, position),
      preview: true,
    });
  } catch {
    void vscode.window.showWarningMessage(`Orchestrator: cannot open ${relPath} (it may have been deleted).`);
  }
}
