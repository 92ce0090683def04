/**
 * Consent before a run's first request to the editor's models. The Language Model API wants
 * the first request of an extension to follow a user action, because the editor may ask the
 * user then (e.g. for Copilot's models); a run's models are opened right after the command
 * that started it, and this modal asks there, saying what is sent and what is counted. The
 * requests then carry a justification (lmClient.ts) that the editor's own dialog shows.
 *
 * "Always Allow" is remembered per model in globalState; a refusal the editor recorded
 * (`canSendRequest` false) stops the run with where to change it.
 */
import * as vscode from 'vscode';
import { editorModelId } from './lmModels';
import { describeModel } from './lmParts';

const ALLOWED_KEY = 'orchestrator.editorModels.allowed';
const ALLOW = 'Allow';
const ALWAYS = 'Always Allow';

export type ConsentAnswer = { allowed: true } | { allowed: false; reason: string };

const idOf = (chat: vscode.LanguageModelChat): string => editorModelId(describeModel(chat));
const listed = (chats: readonly vscode.LanguageModelChat[]): string => chats.map(idOf).join(', ');

export class EditorModelConsent {
  constructor(
    private readonly state: vscode.Memento,
    private readonly access: vscode.LanguageModelAccessInformation,
  ) {}

  /** `maxRequests`: the run's limits.maxRequests, said in the question. */
  async ask(chats: readonly vscode.LanguageModelChat[], maxRequests: number | undefined): Promise<ConsentAnswer> {
    const denied = chats.filter((chat) => this.access.canSendRequest(chat) === false);
    if (denied.length > 0) {
      return {
        allowed: false,
        reason: `The editor does not allow Orchestrator to use ${listed(denied)}: allow it under Accounts → Manage Language Model Access, then run again.`,
      };
    }
    const remembered = new Set(this.state.get<string[]>(ALLOWED_KEY, []));
    const pending = chats.filter((chat) => !remembered.has(idOf(chat)));
    if (pending.length === 0) return { allowed: true };

    const names = pending.map((chat) => `${chat.name} (${idOf(chat)})`).join(', ');
    const vendors = [...new Set(pending.map((chat) => chat.vendor))].join(', ');
    const cap = maxRequests
      ? `the run stops after ${maxRequests} requests (limits.maxRequests)`
      : 'set limits.maxRequests to cap them';
    const answer = await vscode.window.showInformationMessage(
      `Orchestrator: send this run's requests to the editor's model ${names}?`,
      {
        modal: true,
        detail:
          `The agents send their prompts (the spec, your context files, the files they read) to ${pending.length > 1 ? 'these models' : 'this model'} through VS Code. ` +
          `Each model call is one request, counted against your plan with ${vendors}. No token usage or cost is reported, so the run counts requests: ${cap}.`,
      },
      ALLOW,
      ALWAYS,
    );
    if (answer === ALWAYS) await this.state.update(ALLOWED_KEY, [...remembered, ...pending.map(idOf)]);
    if (answer === ALLOW || answer === ALWAYS) return { allowed: true };
    return { allowed: false, reason: `You did not allow Orchestrator to use ${listed(pending)}` };
  }
}
