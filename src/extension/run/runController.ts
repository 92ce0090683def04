/**
 * Runs the engine, one run at a time. Each run gets a CancellationTokenSource whose
 * cancellation aborts the AbortSignal the engine receives (Cancel Run, the progress
 * notification's Cancel, extension shutdown). Outcomes go to the view model and to one
 * notification; authentication failures become the single "Set API Key" message.
 */
import * as vscode from 'vscode';
import type { RunOptions, RunSummary } from '../../core/api';
import type { EngineEvent } from '../../core/events';
import type { ModelProvider } from '../../core/llm/provider';
import { readSettings } from '../config/settings';
import type { Engine } from '../engine';
import type { ApiKeyStore } from '../host/apiKeyStore';
import type { AuthNotice } from '../host/authNotice';
import type { SpecDecisions } from '../host/specDecisions';
import type { VscodeHost } from '../host/vscodeHost';
import type { EventLog } from '../log/eventLog';
import { redact } from '../log/redact';
import { Disposable } from '../util/disposable';
import type { RunKind } from '../view/actions';
import type { ViewStore } from '../view/store';
import { announceCancelled, announceOutcome } from './outcome';
import { buildRunOptions } from './runOptions';

export interface RunRequest {
  kind: RunKind;
  /** What the user asked for, shown in the sidebar and the status bar tooltip. */
  label: string;
  workspace: string;
  /** Model calls need the API key when an agent runs on the Anthropic API; syncing the registry does not. */
  needsKey: boolean;
  /** For a resumed run: its journal so far (see ViewAction run.begin). */
  history?: EngineEvent[];
  execute(options: RunOptions): Promise<RunSummary | void>;
}

interface ActiveRun {
  cts: vscode.CancellationTokenSource;
  workspace: string;
}

export class RunController extends Disposable {
  private active: ActiveRun | undefined;

  constructor(
    private readonly deps: {
      store: ViewStore;
      host: VscodeHost;
      keys: ApiKeyStore;
      auth: AuthNotice;
      decisions: SpecDecisions;
      log: EventLog;
      engine: Pick<Engine, 'agentModels'>;
      /** Model providers of the host (the editor's models), for every run. */
      providers: ModelProvider[];
      /** Called after every run (refresh specs and runs). */
      onFinished: () => void;
    },
  ) {
    super();
    this.register({ dispose: () => this.cancel() });
  }

  get busy(): boolean {
    return this.active !== undefined;
  }

  /** The folder of the run in progress, if any. */
  get workspace(): string | undefined {
    return this.active?.workspace;
  }

  async run(request: RunRequest): Promise<RunSummary | undefined> {
    const { store, host, keys, auth, log } = this.deps;
    if (this.active) {
      void vscode.window.showInformationMessage('Orchestrator: a run is already in progress. Cancel it first or wait for it to finish.');
      return undefined;
    }
    auth.reset();
    if (request.needsKey && (await this.usesAnthropic(request.workspace)) && !(await keys.get())) {
      await auth.missing();
      return undefined;
    }
    const cts = new vscode.CancellationTokenSource();
    const abort = new AbortController();
    const onCancel = cts.token.onCancellationRequested(() => abort.abort(new Error('Cancelled by the user')));
    this.active = { cts, workspace: request.workspace };
    store.dispatch({ type: 'run.begin', kind: request.kind, request: request.label, ...(request.history ? { history: request.history } : {}) });
    log.write('info', `${request.kind}: ${request.label}`);
    try {
      const summary = (await request.execute(buildRunOptions(request.workspace, host, abort.signal, this.deps.providers))) ?? undefined;
      store.dispatch({ type: 'run.end', summary });
      if (summary) {
        if (summary.error) log.write(summary.status === 'completed' ? 'warn' : 'error', summary.error);
        if (!auth.check(summary.error) && !auth.wasShown) announceOutcome(summary);
      }
      return summary;
    } catch (err) {
      const message = redact(err instanceof Error ? err.message : String(err));
      if (abort.signal.aborted) {
        store.dispatch({ type: 'run.end', cancelled: true });
        announceCancelled();
      } else if ((err as { code?: unknown }).code === 'E_DECLINED') {
        // The human answered "no" to approving a spec with unowned work: nothing ran.
        store.dispatch({ type: 'run.end', cancelled: true });
        log.write('warn', message);
        void vscode.window.showInformationMessage(`Orchestrator: ${message.split('\n')[0]}`);
      } else {
        store.dispatch({ type: 'run.end', error: message });
        log.write('error', err instanceof Error && err.stack ? redact(err.stack) : message);
        if (!auth.check(err) && !auth.wasShown) void this.showError(message);
      }
      return undefined;
    } finally {
      this.deps.decisions.cancelPending();
      onCancel.dispose();
      cts.dispose();
      this.active = undefined;
      this.deps.onFinished();
    }
  }

  /** Whether some agent runs on the Anthropic API (a config that does not load: assume so, the run will say what is wrong). */
  private async usesAnthropic(workspace: string): Promise<boolean> {
    const models = await this.deps.engine.agentModels(workspace, readSettings(vscode.Uri.file(workspace)).overrides).catch(() => undefined);
    return models === undefined || models.some((m) => m.provider === 'anthropic');
  }

  /** Returns false when nothing was running. */
  cancel(): boolean {
    if (!this.active) return false;
    // Answer a pending spec decision first so the engine is not left waiting on the UI.
    this.deps.decisions.cancelPending();
    this.active.cts.cancel();
    return true;
  }

  private async showError(message: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(`Orchestrator: ${message}`, 'Show Log');
    if (choice === 'Show Log') this.deps.log.show();
  }
}
