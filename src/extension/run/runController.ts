/**
 * Runs the engine: one in-place run at a time, and beside it any number of runs in their own
 * worktrees (issue 22; the engine holds them to limits.concurrentRuns), each shown in its own
 * lane. Each run gets a CancellationTokenSource whose cancellation aborts the AbortSignal the
 * engine receives (Cancel Run, a lane's Cancel, the progress notification's Cancel, extension
 * shutdown). Outcomes go to the view model and to one notification; authentication failures
 * become the single "Set API Key" message.
 */
import * as vscode from 'vscode';
import type { RunOptions, RunSummary } from '../../core/api';
import type { EngineEvent } from '../../core/events';
import type { ModelProvider } from '../../core/llm';
import { readSettings } from '../config/settings';
import { isCliRunner, RUNNER_ROLES } from '../../core/text/runnerNames';
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
import type { Isolation } from './isolationChoice';
import { buildRunOptions } from './runOptions';

const IN_PLACE = 'in-place';

export interface RunRequest {
  kind: RunKind;
  /** What the user asked for, shown in the sidebar and the status bar tooltip. */
  label: string;
  workspace: string;
  /** Model calls need the API key when an agent runs on the Anthropic API; syncing the registry does not. */
  needsKey: boolean;
  /** For a resumed run: its journal so far (see ViewAction run.begin). */
  history?: EngineEvent[];
  /** Where the run works (the isolation button, the setting); absent: as the config says, in place by default. */
  isolation?: Isolation;
  execute(options: RunOptions): Promise<RunSummary | void>;
}

interface ActiveRun {
  cts: vscode.CancellationTokenSource;
  workspace: string;
  /** Its lane when it runs in a worktree. */
  lane?: string;
}

export class RunController extends Disposable {
  private readonly active = new Map<string, ActiveRun>();
  private lanes = 0;

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
      /** No key for an agent on the Anthropic API: offers other ways to run it (noKeyOffer.ts); true to try again. */
      noKey: (request: RunRequest) => Promise<boolean>;
    },
  ) {
    super();
    this.register({ dispose: () => this.cancel() });
  }

  /** Some run is in progress. */
  get busy(): boolean {
    return this.active.size > 0;
  }

  /** The in-place run is in progress (it writes the checkout: no apply or rollback meanwhile). */
  get inPlaceBusy(): boolean {
    return this.active.has(IN_PLACE);
  }

  /** The folder of a run in progress, if any (the in-place one first). */
  get workspace(): string | undefined {
    return (this.active.get(IN_PLACE) ?? this.active.values().next().value)?.workspace;
  }

  async run(request: RunRequest): Promise<RunSummary | undefined> {
    const { store, keys, auth, log } = this.deps;
    const inWorktree = request.isolation === 'worktree';
    if (this.active.has(IN_PLACE) || (!inWorktree && this.active.size > 0)) {
      const hint = inWorktree ? '' : ' (runs in their own worktree can go beside others)';
      void vscode.window.showInformationMessage(
        `Orchestrator: a run is already in progress. Cancel it first or wait for it to finish${hint}.`,
      );
      return undefined;
    }
    auth.reset();
    while (request.needsKey && (await this.usesAnthropic(request.workspace)) && !(await keys.get())) {
      if (!(await this.deps.noKey(request))) return undefined;
    }
    const cts = new vscode.CancellationTokenSource();
    const abort = new AbortController();
    const onCancel = cts.token.onCancellationRequested(() => abort.abort(new Error('Cancelled by the user')));
    const lane = inWorktree ? `lane-${++this.lanes}` : undefined;
    const key = lane ?? IN_PLACE;
    this.active.set(key, { cts, workspace: request.workspace, ...(lane ? { lane } : {}) });
    const history = request.history ? { history: request.history } : {};
    store.dispatch(
      lane
        ? { type: 'lane.begin', lane, kind: request.kind, request: request.label, ...history }
        : { type: 'run.begin', kind: request.kind, request: request.label, ...history },
    );
    const end = (outcome: { summary?: RunSummary; error?: string; cancelled?: boolean }) =>
      store.dispatch(lane ? { type: 'lane.end', lane, ...outcome } : { type: 'run.end', ...outcome });
    log.write('info', `${request.kind}: ${request.label}${lane ? ' (in its own worktree)' : ''}`);
    const host = lane ? this.deps.host.forLane(lane) : this.deps.host;
    try {
      const options = buildRunOptions(request.workspace, host, abort.signal, this.deps.providers, request);
      const summary = (await request.execute(options)) ?? undefined;
      end({ summary });
      if (summary) {
        if (summary.error) log.write(summary.status === 'completed' ? 'warn' : 'error', summary.error);
        if (!auth.check(summary.error) && !auth.wasShown) announceOutcome(summary);
      }
      return summary;
    } catch (err) {
      const message = redact(err instanceof Error ? err.message : String(err));
      if (abort.signal.aborted) {
        end({ cancelled: true });
        announceCancelled();
      } else if ((err as { code?: unknown }).code === 'E_DECLINED') {
        // The human answered "no" to approving a spec with unowned work: nothing ran.
        end({ cancelled: true });
        log.write('warn', message);
        void vscode.window.showInformationMessage(`Orchestrator: ${message.split('\n')[0]}`);
      } else {
        end({ error: message });
        log.write('error', err instanceof Error && err.stack ? redact(err.stack) : message);
        if (!auth.check(err) && !auth.wasShown) void this.showError(message);
      }
      return undefined;
    } finally {
      this.deps.decisions.cancelPendingOf(lane);
      onCancel.dispose();
      cts.dispose();
      this.active.delete(key);
      this.deps.onFinished();
    }
  }

  /** No Anthropic key where an agent of `workspace` needs one: a host that cannot ask (the chat) says so in one line. */
  async missingKey(workspace: string): Promise<boolean> {
    return (await this.usesAnthropic(workspace)) && !(await this.deps.keys.get());
  }

  /**
   * Whether some agent runs on the Anthropic API (a config that does not load: assume so, the run
   * will say what is wrong). Layers on a CLI agent (`orchestrator.runner`) need no model key of ours.
   */
  private async usesAnthropic(workspace: string): Promise<boolean> {
    const settings = readSettings(vscode.Uri.file(workspace));
    const models = await this.deps.engine.agentModels(workspace, settings.overrides).catch(() => undefined);
    const layersOnCli = settings.runner !== undefined && isCliRunner(settings.runner);
    return (
      models === undefined ||
      models.some(
        (m) => m.provider === 'anthropic' && (!layersOnCli || (RUNNER_ROLES as readonly string[]).includes(m.agent)),
      )
    );
  }

  /** Cancels the in-place run (the progress notification's Cancel); false when none runs. */
  cancelInPlace(): boolean {
    const run = this.active.get(IN_PLACE);
    if (!run) return false;
    this.deps.decisions.cancelPendingOf(undefined);
    run.cts.cancel();
    return true;
  }

  /** Cancels one worktree run (its lane), or every run; returns false when nothing was running. */
  cancel(lane?: string): boolean {
    const runs =
      lane === undefined ? [...this.active.values()] : [...this.active.values()].filter((run) => run.lane === lane);
    if (runs.length === 0) return false;
    for (const run of runs) {
      // Answer a pending spec decision first so the engine is not left waiting on the UI.
      this.deps.decisions.cancelPendingOf(run.lane);
      run.cts.cancel();
    }
    return true;
  }

  private async showError(message: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(`Orchestrator: ${message}`, 'Show Log');
    if (choice === 'Show Log') this.deps.log.show();
  }
}
