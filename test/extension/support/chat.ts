/**
 * The chat suites' view of `@orchestrator`: requests sent from the real Chat view, and what each
 * response showed, read from the extension's chat transcripts (the workbench's rendering is the UI
 * tests'), plus the language model tools through vscode.lm.invokeTool.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Transcript, TranscriptPart } from '../../../src/extension/chat/chatStream';
import { extension, start } from './host';
import { SCRIPTED_VENDOR, scriptedLm } from './scriptedLm';

export type Button = Extract<TranscriptPart, { kind: 'button' }>;
export const transcripts = (): readonly Transcript[] => extension().exports.getChatTranscripts();
/** The first response after the `after`-th whose request matches. */
export const newest = (request: RegExp, after: number): Transcript | undefined =>
  transcripts()
    .slice(after)
    .find((t) => request.test(t.request));
export const markdown = (t: Transcript): string => t.parts.map((p) => (p.kind === 'markdown' ? p.value : '')).join('');
export const buttons = (t: Transcript): Button[] => t.parts.filter((p): p is Button => p.kind === 'button');
export const textOf = (result: vscode.LanguageModelToolResult): string =>
  result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
export const invoke = (name: string, input: object) =>
  Promise.resolve(vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }));

/** Sends `query` from the Chat view, as typed (not awaited: the command may wait for the response). */
export function ask(query: string): void {
  void start('workbench.action.chat.open', { query });
}

/**
 * Sends `query` from a new chat: while a response is still going (a run waiting at its gate), the
 * Chat view holds a request typed into the same chat until that response ends.
 */
export async function askInNewChat(query: string): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.chat.newChat');
  ask(query);
}

/** The scripted chat models registered and a new chat on one: without a model the Chat view sends nothing to a participant. */
export async function chatOnScriptedModel(ctx: Mocha.Context): Promise<void> {
  await scriptedLm(ctx);
  const [model] = await vscode.lm.selectChatModels({ vendor: SCRIPTED_VENDOR, family: 'scripted' });
  assert.ok(model, 'no scripted chat model');
  await vscode.commands.executeCommand('workbench.action.chat.newChat');
  await vscode.commands.executeCommand('workbench.action.chat.changeModel', {
    vendor: model.vendor,
    id: model.id,
    family: model.family,
  });
}
