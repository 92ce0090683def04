/** The status bar's count of artifacts waiting for a human's review; hidden when there are none. */
import * as vscode from 'vscode';
import { Disposable } from '../util/disposable';
import type { ViewStore } from '../view/store';

export class QueueStatus extends Disposable {
  constructor(store: ViewStore, focusCommand: string) {
    super();
    const item = this.register(
      vscode.window.createStatusBarItem('orchestrator.queue', vscode.StatusBarAlignment.Left, 99),
    );
    item.name = 'Orchestrator task queue';
    item.command = focusCommand;
    // Hiding or setting the item messages the window each time: only when the count changed.
    let shown: number | undefined;
    const update = () => {
      const waiting = (store.state.queue?.tasks ?? []).filter((t) => t.status === 'review_pending').length;
      if (waiting === shown) return;
      shown = waiting;
      if (waiting === 0) return item.hide();
      item.text = `$(inbox) ${waiting} to review`;
      item.tooltip = `Orchestrator: ${waiting} artifact(s) from outside agents wait for your review in the sidebar`;
      item.show();
    };
    this.register(store.onDidChange(update));
    update();
  }
}
