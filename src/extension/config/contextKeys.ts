/** Mirrors the view model into the context keys used by the commands' `when` clauses. */
import * as vscode from 'vscode';
import type { ViewState } from '../../shared/viewState';
import { Disposable } from '../util/disposable';
import type { ViewStore } from '../view/store';
import { contextKeys } from '../view/selectors';

export class ContextKeySync extends Disposable {
  private readonly last = new Map<string, boolean>();

  constructor(store: ViewStore) {
    super();
    this.register(store.onDidChange((s) => this.sync(s)));
    this.sync(store.state);
  }

  private sync(state: ViewState): void {
    for (const [key, value] of Object.entries(contextKeys(state))) {
      // setContext is an IPC round trip; only send real changes.
      if (this.last.get(key) === value) continue;
      this.last.set(key, value);
      void vscode.commands.executeCommand('setContext', key, value);
    }
  }
}
