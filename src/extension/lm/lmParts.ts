/** The plain-data messages of lmMessages.ts as VS Code's Language Model API classes, and back. */
import * as vscode from 'vscode';
import type { EditorModel } from './lmModels';
import type { LmMessage, LmPart, LmResponsePart } from './lmMessages';

function toPart(part: LmPart): vscode.LanguageModelInputPart {
  switch (part.kind) {
    case 'text':
      return new vscode.LanguageModelTextPart(part.text);
    case 'tool_call':
      return new vscode.LanguageModelToolCallPart(part.callId, part.name, part.input);
    case 'tool_result':
      return new vscode.LanguageModelToolResultPart(part.callId, [new vscode.LanguageModelTextPart(part.text)]);
  }
}

export function toChatMessages(messages: readonly LmMessage[]): vscode.LanguageModelChatMessage[] {
  return messages.map(
    (m) =>
      new vscode.LanguageModelChatMessage(
        m.role === 'user' ? vscode.LanguageModelChatMessageRole.User : vscode.LanguageModelChatMessageRole.Assistant,
        m.parts.map(toPart),
      ),
  );
}

export function fromResponsePart(part: unknown): LmResponsePart {
  if (part instanceof vscode.LanguageModelTextPart) return { kind: 'text', text: part.value };
  if (part instanceof vscode.LanguageModelToolCallPart)
    return { kind: 'tool_call', callId: part.callId, name: part.name, input: part.input };
  return { kind: 'other' };
}

/** Recent editors (1.139 here) put `capabilities` on the model; @types/vscode 1.104 does not declare it. */
type WithCapabilities = vscode.LanguageModelChat & { capabilities?: { supportsToolCalling?: boolean } };

export function describeModel(chat: vscode.LanguageModelChat): EditorModel {
  const toolCalling = (chat as WithCapabilities).capabilities?.supportsToolCalling;
  return {
    vendor: chat.vendor,
    family: chat.family,
    name: chat.name,
    maxInputTokens: chat.maxInputTokens,
    ...(typeof toolCalling === 'boolean' ? { toolCalling } : {}),
  };
}
