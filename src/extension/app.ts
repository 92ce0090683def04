/**
 * Composition root: builds the extension's parts once, wires them together and owns them.
 * No behaviour of its own beyond the wiring.
 *
 * Activation only registers (commands, the view provider, status bar, context keys): the engine
 * is loaded on first use (see ./engine.ts). What needs it to be shown, the lists of specs and
 * runs and the last run's journal, is restored when the sidebar is first shown, or after the
 * first run in this window; commands list what they need themselves, and until the restore the
 * menus' when clauses stay permissive (`orchestrator.ready` is false).
 */
import * as vscode from 'vscode';
import type { EngineEvent } from '../core/events';
import type { ViewState } from '../shared/viewState';
import { versionLine } from '../shared/buildInfo';
import { CHECKPOINT_SCHEME, CheckpointDocuments } from './changes/checkpointDocuments';
import { ChatHost } from './chat/chatHost';
import type { Transcript } from './chat/chatStream';
import { registerCommands } from './commands/registerCommands';
import { ContextKeySync } from './config/contextKeys';
import type { Engine } from './engine';
import { ApiKeyStore, OPENAI_KEY } from './host/apiKeyStore';
import { AuthNotice } from './host/authNotice';
import { SpecDecisions } from './host/specDecisions';
import { PortalSpecDecisions } from './host/portalSpecDecisions';
import { VscodeHost } from './host/vscodeHost';
import { editorModelsProvider } from './lm/editorModelsProvider';
import { EditorModelConsent } from './lm/lmConsent';
import { EventLog } from './log/eventLog';
import { AuditReports } from './run/auditReports';
import { McpServerDefinitions, type McpServerInfo } from './queue/mcpServerDefinitions';
import { InitController } from './init/initController';
import { PoolController } from './pool/poolController';
import { QueueController } from './queue/queueController';
import { RunnersController } from './runners/runnersController';
import { QueueHttpServer } from './queue/queueHttpServer';
import { QueuePortal } from './queue/queuePortal';
import { QueueStatus } from './queue/queueStatus';
import { RunController, type RunRequest } from './run/runController';
import { offerWithoutKey } from './run/noKeyOffer';
import { RequestDrafts } from './run/requestDrafts';
import { restoreLatestRun } from './run/runHistory';
import { requestRunChange } from './run/changeRequests';
import { showAttemptDiff, useRunAttempt } from './run/attemptActions';
import { RunProgress } from './run/runProgress';
import { WorkflowSteps } from './run/workflowSteps';
import type { Services } from './services';
import { createMessageRouter } from './sidebar/messageRouter';
import { SIDEBAR_VIEW_ID, SidebarView } from './sidebar/sidebarView';
import { SpecsService } from './specs/specsService';
import { StatusBar } from './status/statusBar';
import { Disposable } from './util/disposable';
import { ViewStore } from './view/store';
import { WorkspaceFolders } from './workspace/folders';

/** What `activate` returns: read-only access for the extension-host tests. */
export interface OrchestratorApi {
  getViewState(): ViewState;
  /** The task queue's MCP servers as offered to the editor (what it would launch). */
  getMcpServers(): McpServerInfo[];
  /** What the `@orchestrator` chat responses and the tool calls of this window showed (issue 38). */
  getChatTranscripts(): readonly Transcript[];
}

/** workspaceState key: the spec shown in the sidebar, shown again after a window reload. */
const SHOWN_SPEC_KEY = 'orchestrator.shownSpec';

/** Events after which the lists of specs and runs on disk have changed. */
const refreshing = new Set<EngineEvent['type']>([
  'spec.saved',
  'spec.approved',
  'spec.completed',
  // The shown spec is read again: its lines ticked as the layers' work is accepted (issue 71).
  'spec.ticked',
  'run.completed',
  'run.stopped',
]);

export class OrchestratorApp extends Disposable implements OrchestratorApi {
  private readonly store = new ViewStore();
  private readonly mcpServers: McpServerDefinitions;
  private readonly chat: ChatHost;
  private restored: Promise<void> | undefined;

  constructor(context: vscode.ExtensionContext, engine: Engine) {
    super();
    const store = this.store;
    const log = this.register(new EventLog());
    // Show Log's first line: which build this is (a .vsix names the commit it was released from).
    const manifest = context.extension.packageJSON as { name: string; version: string };
    const about = `${versionLine(manifest.name, manifest.version)}, VS Code ${vscode.version}`;
    log.write('info', `Orchestrator: ${about}`);
    const folders = this.register(new WorkspaceFolders(store));
    const specs = this.register(new SpecsService(engine, store, folders, log));
    const keys = new ApiKeyStore(context.secrets);
    const openaiKeys = new ApiKeyStore(context.secrets, OPENAI_KEY);
    const auth = new AuthNotice();

    const sidebar = this.register(new SidebarView(context.extensionUri, store, log));
    const decisions = new SpecDecisions(store, () => sidebar.reveal());
    this.register(new PortalSpecDecisions(decisions, log));
    // The shown spec is remembered across window reloads (see the onDidChange below).
    const shownSpec = context.workspaceState.get<string>(SHOWN_SPEC_KEY);
    const restore = () => (this.restored ??= this.restore(specs, engine, folders, log, shownSpec));
    // During and after a run the engine is loaded anyway: keep the lists fresh (or restore them once).
    const listsChanged = () => (this.restored ? specs.refreshSoon() : void restore());
    const host = new VscodeHost(
      decisions,
      keys,
      (event, lane) => {
        log.event(event);
        store.dispatch({ type: 'engine', event, ...(lane ? { lane } : {}) });
        if (refreshing.has(event.type)) listsChanged();
      },
      (asking, lane) => store.dispatch({ type: 'confirmation', asking, ...(lane ? { lane } : {}) }),
      new Map([['openai', openaiKeys]]),
    );
    const editorModels = editorModelsProvider(
      new EditorModelConsent(context.globalState, context.languageModelAccessInformation),
    );
    const drafts = new RequestDrafts();
    const noKey = (request: RunRequest) => offerWithoutKey(request, drafts, engine);
    const runners = this.register(new RunnersController(engine, store, folders, log));
    // A run's end adds its layers to the runners' record (issue 47): the sidebar's table follows.
    const finished = () => {
      listsChanged();
      runners.recordChanged();
    };
    const runs = this.register(
      new RunController({
        store,
        host,
        keys,
        auth,
        decisions,
        log,
        engine,
        providers: [editorModels],
        onFinished: finished,
        noKey,
      }),
    );
    const queueHttp = this.register(new QueueHttpServer(context.secrets, context.extensionUri, log));
    const queuePortal = this.register(new QueuePortal(context.extensionUri, log));
    const init = new InitController({
      engine,
      store,
      specs,
      log,
      extensionUri: context.extensionUri,
      revealSidebar: () => sidebar.reveal(),
      notice: (l, t) => sidebar.notice(l, t),
    });
    const services: Services = {
      extensionUri: context.extensionUri,
      about,
      engine,
      store,
      host,
      runs,
      drafts,
      decisions,
      specs,
      folders,
      keys,
      openaiKeys,
      log,
      queueHttp,
      queuePortal,
      init,
      revealSidebar: () => sidebar.reveal(),
    };

    const queue = this.register(new QueueController(engine, store, folders, log));

    const notice = (level: 'info' | 'warn' | 'error', text: string) => sidebar.notice(level, text);
    const pool = this.register(new PoolController(store, folders, log, notice, () => specs.refreshSoon()));
    const changeDeps = {
      engine,
      runs,
      notice,
      liveRunId: () => (store.state.run?.live ? store.state.run.runId : undefined),
      workspace: () => folders.current()?.uri.fsPath,
    };
    const changeRequest = (runId: string, request: string) => requestRunChange(changeDeps, runId, request);
    const attemptDeps = { engine, store, runs, notice, workspace: changeDeps.workspace };
    const attempts = {
      diff: (runId: string, layer: string, k: number) => showAttemptDiff(attemptDeps, runId, layer, k),
      use: (runId: string, layer: string, k: number) => useRunAttempt(attemptDeps, runId, layer, k),
    };
    const laneFolder = (lane: string) => {
      const worktree = store.state.lanes?.find((run) => run.lane === lane)?.worktree;
      return worktree?.workspace ?? worktree?.path;
    };
    const shownLinks = () =>
      [...(store.state.run?.github ?? []), ...(store.state.pool?.runs ?? []).flatMap((run) => run.github ?? [])].map(
        (link) => link.url,
      );
    this.register(
      sidebar.onDidReceiveMessage(
        createMessageRouter({
          decisions,
          runs,
          specs,
          folders,
          queue,
          pool,
          init,
          runners,
          log,
          notice,
          changeRequest,
          attempts,
          laneFolder,
          shownLinks,
        }),
      ),
    );
    this.register(
      sidebar.onDidResolve(() => {
        void restore();
        queue.start();
        pool.start();
      }),
    );
    this.register(vscode.window.registerWebviewViewProvider(SIDEBAR_VIEW_ID, sidebar));
    this.register(new StatusBar(store, `${SIDEBAR_VIEW_ID}.focus`));
    this.register(new QueueStatus(store, `${SIDEBAR_VIEW_ID}.focus`));
    this.mcpServers = this.register(new McpServerDefinitions(context.extensionUri, log));
    this.register(new RunProgress(store, () => runs.cancelInPlace()));
    this.register(
      new WorkflowSteps({ store, engine, workspace: () => runs.workspace ?? folders.current()?.uri.fsPath, log }),
    );
    this.register(new AuditReports(store, () => runs.workspace ?? folders.current()?.uri.fsPath, log));
    this.register(new ContextKeySync(store));
    this.register(
      vscode.workspace.registerTextDocumentContentProvider(CHECKPOINT_SCHEME, new CheckpointDocuments(engine)),
    );
    registerCommands(services).forEach((d) => this.register(d));
    this.chat = this.register(new ChatHost(services));

    // The host's state replaces the webview's persisted one after a reload: remember the shown spec here.
    this.register(
      store.onDidChange((s) => {
        const id = s.selectedSpec?.id;
        if (id && id !== context.workspaceState.get<string>(SHOWN_SPEC_KEY))
          void context.workspaceState.update(SHOWN_SPEC_KEY, id);
      }),
    );

    store.dispatch({ type: 'trust', trusted: vscode.workspace.isTrusted });
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => store.dispatch({ type: 'trust', trusted: true })));
  }

  getViewState(): ViewState {
    return this.store.state;
  }

  getMcpServers(): McpServerInfo[] {
    return this.mcpServers.describe();
  }

  getChatTranscripts(): readonly Transcript[] {
    return this.chat.transcriptList();
  }

  /** Once per window, when first needed: the lists, the spec that was shown, then the last run from its journal. */
  private async restore(
    specs: SpecsService,
    engine: Engine,
    folders: WorkspaceFolders,
    log: EventLog,
    shownSpec: string | undefined,
  ): Promise<void> {
    await specs.refresh();
    if (shownSpec && !this.store.state.selectedSpec && this.store.state.specs.some((s) => s.id === shownSpec))
      await specs.select(shownSpec);
    const ws = folders.current()?.uri.fsPath;
    if (ws) this.register(await restoreLatestRun(engine, this.store, ws, log));
    // From now on the when clauses trust hasRun/hasSpecs (see package.json menus).
    await vscode.commands.executeCommand('setContext', 'orchestrator.ready', true);
  }
}
