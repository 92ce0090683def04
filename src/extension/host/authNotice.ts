/**
 * One clear message, with a "Set API Key" button ("Set OpenAI-Compatible API Key" for an
 * `openai:` model's key), when the key is missing or rejected.
 * The same failure can surface several times in one run (an event, then the thrown error);
 * the notice is shown once until the next run resets it. (A key missing before a run starts is
 * offered other ways instead: run/noKeyOffer.ts.)
 */
import * as vscode from 'vscode';
import { redact } from '../log/redact';
import { isAuthFailure } from './authError';

const SET_KEY = 'Set API Key';
const SET_OPENAI_KEY = 'Set OpenAI-Compatible API Key';
/** The engine's own words for an `openai:` model's missing or refused key (before any call). */
const OPENAI_KEY_PROBLEM =
  /No key for the OpenAI-compatible endpoint|The OpenAI-compatible endpoint \S+ refused the key/;

export class AuthNotice {
  private shown = false;

  /** True once the notice was shown in this run (callers then skip their own error message). */
  get wasShown(): boolean {
    return this.shown;
  }

  reset(): void {
    this.shown = false;
  }

  /** Shows the notice when `failure` (an error or a summary's error text) is an authentication failure. */
  check(failure: unknown): boolean {
    if (failure === undefined) return false;
    const text = failure instanceof Error ? failure.message : String(failure);
    // An openai: model's key: the engine's message names the endpoint, the agent and the config key.
    if (OPENAI_KEY_PROBLEM.test(text) || (isAuthFailure(failure) && /\bopenai:|OPENAI_API_KEY/.test(text))) {
      this.show(`Orchestrator: ${redact(text.split('\n')[0] ?? text)}`, SET_OPENAI_KEY);
      return true;
    }
    if (!isAuthFailure(failure)) return false;
    this.show('Orchestrator: the Anthropic API rejected the API key (or none is set).', SET_KEY);
    return true;
  }

  private show(message: string, ...buttons: string[]): void {
    if (this.shown) return;
    this.shown = true;
    void vscode.window.showErrorMessage(message, ...buttons).then((choice) => {
      if (choice === SET_KEY) void vscode.commands.executeCommand('orchestrator.setApiKey');
      if (choice === SET_OPENAI_KEY) void vscode.commands.executeCommand('orchestrator.setOpenAIKey');
    });
  }
}
