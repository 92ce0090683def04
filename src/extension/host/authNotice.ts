/**
 * One clear message, with a "Set API Key" button, when the key is missing or rejected.
 * The same failure can surface several times in one run (an event, then the thrown error);
 * the notice is shown once until the next run resets it.
 */
import * as vscode from 'vscode';
import { isAuthFailure } from './authError';

const SET_KEY = 'Set API Key';

export class AuthNotice {
  private shown = false;

  /** True once the notice was shown in this run (callers then skip their own error message). */
  get wasShown(): boolean {
    return this.shown;
  }

  reset(): void {
    this.shown = false;
  }

  missing(): void {
    this.show('Orchestrator needs an Anthropic API key to call the model.');
  }

  /** Shows the notice when `failure` (an error or a summary's error text) is an authentication failure. */
  check(failure: unknown): boolean {
    if (failure === undefined || !isAuthFailure(failure)) return false;
    this.show('Orchestrator: the Anthropic API rejected the API key (or none is set).');
    return true;
  }

  private show(message: string): void {
    if (this.shown) return;
    this.shown = true;
    void vscode.window.showErrorMessage(message, SET_KEY).then((choice) => {
      if (choice === SET_KEY) void vscode.commands.executeCommand('orchestrator.setApiKey');
    });
  }
}
