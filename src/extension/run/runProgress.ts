/**
 * A cancellable progress notification while a run works. It closes while the run waits for
 * the spec decision (the user is reading, not waiting) and reopens after approval.
 */
import * as vscode from 'vscode';
import type { ViewState } from '../../shared/viewState';
import { Disposable } from '../util/disposable';
import { progressMessage } from '../view/selectors';
import type { ViewStore } from '../view/store';

interface OpenProgress {
  report(message: string): void;
  close(): void;
}

export class RunProgress extends Disposable {
  private open: OpenProgress | undefined;
  private lastMessage = '';

  constructor(
    store: ViewStore,
    private readonly cancel: () => void,
  ) {
    super();
    this.register(store.onDidChange((s) => this.update(s)));
    this.register({ dispose: () => this.close() });
  }

  private update(state: ViewState): void {
    const run = state.run;
    const wanted = state.busy && !state.pendingDecision && run !== undefined;
    if (!wanted) return this.close();
    const message = progressMessage(run);
    if (!this.open) this.start();
    if (message !== this.lastMessage) {
      this.lastMessage = message;
      this.open?.report(message);
    }
  }

  private start(): void {
    let close: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (close = resolve));
    let progress: vscode.Progress<{ message?: string }> | undefined;
    this.open = { report: (message) => progress?.report({ message }), close: () => close() };
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Orchestrator', cancellable: true },
      (p, token) => {
        progress = p;
        if (this.lastMessage) p.report({ message: this.lastMessage });
        token.onCancellationRequested(() => this.cancel());
        return done;
      },
    );
  }

  private close(): void {
    this.open?.close();
    this.open = undefined;
    this.lastMessage = '';
  }
}
