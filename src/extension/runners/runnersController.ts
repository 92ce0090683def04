/**
 * The sidebar's runner picker (issue 27): each layer's runner and the CLI agents on this machine
 * (installed, version, signed in), re-read when the config changes or a runner is chosen; a
 * choice is written into `.claude/orchestrator.yaml` by the engine, comments kept. In Restricted
 * Mode a CLI the workspace's config names is located but not started to ask its version. The
 * runners' record of the repository (issue 47) comes with it, read again when a run ends.
 */
import * as vscode from 'vscode';
import type { LayerRunner, RunnerRole } from '../../core/text/runnerNames';
import type { RunnersView } from '../../shared/viewState';
import type { Engine } from '../engine';
import type { EventLog } from '../log/eventLog';
import { Disposable } from '../util/disposable';
import type { ViewStore } from '../view/store';
import type { WorkspaceFolders } from '../workspace/folders';

export class RunnersController extends Disposable {
  private watching = false;

  constructor(
    private readonly engine: Pick<Engine, 'runnerChoices' | 'setRunner' | 'runnersStats'>,
    private readonly store: ViewStore,
    private readonly folders: WorkspaceFolders,
    private readonly log: EventLog,
  ) {
    super();
  }

  /** From the first time the sidebar shows: read now, and again whenever the config file changes. */
  start(): void {
    if (!this.watching) {
      this.watching = true;
      const watcher = this.register(vscode.workspace.createFileSystemWatcher('**/.claude/orchestrator.yaml'));
      for (const on of [watcher.onDidChange, watcher.onDidCreate, watcher.onDidDelete])
        this.register(on(() => void this.refresh()));
      this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refresh()));
    }
    void this.refresh();
  }

  /** A run ended: its outcomes are in the record, read again once the section has been shown. */
  recordChanged(): void {
    if (this.watching) void this.refresh();
  }

  async refresh(): Promise<void> {
    const workspace = this.folders.current()?.uri.fsPath;
    if (!workspace) return;
    let view: RunnersView;
    try {
      const [choices, record] = await Promise.all([
        this.engine.runnerChoices(workspace, { trusted: vscode.workspace.isTrusted }),
        this.engine.runnersStats(workspace),
      ]);
      view = {
        layers: choices.layers,
        roles: choices.roles,
        clis: choices.clis.map(({ runner, label, installed, version, tooOld, signedIn, signedInBy, hint }) => ({
          runner,
          label,
          installed,
          tooOld,
          signedIn,
          ...(version ? { version } : {}),
          ...(signedInBy ? { signedInBy } : {}),
          ...(hint ? { hint } : {}),
        })),
        sandbox: choices.sandbox,
        record,
      };
    } catch (error) {
      const last = this.store.state.runners;
      view = {
        layers: last?.layers ?? [],
        roles: last?.roles ?? [],
        clis: last?.clis ?? [],
        ...(last?.sandbox ? { sandbox: last.sandbox } : {}),
        ...(last?.record ? { record: last.record } : {}),
        error: (error as Error).message,
      };
      this.log.write('warn', `runners: ${view.error}`);
    }
    this.store.dispatch({ type: 'runners', runners: view });
  }

  /** Writes the choice; the notice says what changed or why not. */
  async choose(target: { layer: string } | { role: RunnerRole }, runner: LayerRunner): Promise<string> {
    const workspace = this.folders.current()?.uri.fsPath;
    if (!workspace) throw new Error('open a workspace folder first');
    await this.engine.setRunner(workspace, target, runner);
    await this.refresh();
    const who = 'layer' in target ? `The ${target.layer} layer` : `The ${target.role} role`;
    const cli = this.store.state.runners?.clis.find((c) => c.runner === runner);
    const warning =
      cli && !cli.installed
        ? ` (${cli.label} is not installed: ${cli.hint ?? 'install it'})`
        : cli && cli.signedIn === false
          ? ` (${cli.label} is not signed in: ${cli.hint ?? 'sign it in'})`
          : '';
    return `${who} runs on ${runner}${warning}.`;
  }
}
