/**
 * The status bar item `orchestrator.status` (DOM id `<publisher>.<name>.orchestrator.status`, i.e. `orchestrator-dev.spec-orchestrator.orchestrator.status`):
 * idle, running (`$(sync~spin) IMPLEMENT · wave 1/2 · $0.12`), awaiting approval, done, stopped.
 * Clicking it reveals the sidebar.
 */
import * as vscode from 'vscode';
import type { ViewState } from '../../shared/viewState';
import { Disposable } from '../util/disposable';
import { statusBarView } from '../view/selectors';
import type { ViewStore } from '../view/store';

export const STATUS_ITEM_ID = 'orchestrator.status';

export class StatusBar extends Disposable {
  private readonly item = this.register(
    vscode.window.createStatusBarItem(STATUS_ITEM_ID, vscode.StatusBarAlignment.Left, 50),
  );

  constructor(
    private readonly store: ViewStore,
    revealCommand: string,
  ) {
    super();
    this.register({ dispose: () => clearInterval(this.ticker) });
    this.item.name = 'Orchestrator';
    this.item.command = revealCommand;
    this.register(store.onDidChange((s) => this.render(s)));
    this.render(store.state);
    this.item.show();
  }

  /** Ticks once a second while an agent waits out API weather, to count the wait down. */
  private ticker: ReturnType<typeof setInterval> | undefined;

  private render(state: ViewState): void {
    const waiting = (state.run?.apiWaits?.length ?? 0) > 0 && state.run?.status === 'running';
    if (waiting && !this.ticker) this.ticker = setInterval(() => this.render(this.store.state), 1000);
    if (!waiting && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
    const view = statusBarView(state);
    const attention =
      state.pendingDecision !== undefined || state.run?.status === 'stopped' || state.run?.status === 'failed';
    // Every property set is a message to the window and a relayout of its status bar: the store
    // changes many times a second during a run, the item's face far less often.
    const face = `${view.text}\n${view.tooltip}\n${attention}`;
    if (face === this.face) return;
    this.face = face;
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.backgroundColor = attention ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  /** What the item shows now (text, tooltip, attention), to skip renders that change nothing. */
  private face: string | undefined;
}
