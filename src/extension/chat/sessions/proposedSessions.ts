/**
 * The part of VS Code's proposed `chatSessionsProvider` API (version 3) the run sessions use,
 * typed here instead of a `declare module 'vscode'`: a proposal is not in @types/vscode, it
 * changes between releases, and only the Insiders build may reach it (build flag + setting;
 * see runSessions.ts). Checked at run time before use.
 */
import type * as vscode from 'vscode';

/** ChatSessionStatus's values. */
export const SessionStatus = { Failed: 0, Completed: 1, InProgress: 2, NeedsInput: 3 } as const;
export type SessionStatusValue = (typeof SessionStatus)[keyof typeof SessionStatus];

export interface SessionItem {
  readonly resource: vscode.Uri;
  label: string;
  description?: string;
  status?: SessionStatusValue;
  tooltip?: string;
  iconPath?: vscode.ThemeIcon;
  timing?: { readonly created: number; readonly lastRequestStarted?: number; readonly lastRequestEnded?: number };
}

export interface SessionItemController extends vscode.Disposable {
  readonly items: { replace(items: readonly SessionItem[]): void };
  createChatSessionItem(resource: vscode.Uri, label: string): SessionItem;
}

export interface SessionContent {
  readonly history: readonly unknown[];
  readonly requestHandler: undefined;
  readonly activeResponseCallback?: (
    stream: vscode.ChatResponseStream,
    token: vscode.CancellationToken,
  ) => Thenable<void>;
}

export interface ProposedChat {
  createChatSessionItemController(
    type: string,
    refresh: (token: vscode.CancellationToken) => Thenable<void>,
  ): SessionItemController;
  registerChatSessionContentProvider(
    scheme: string,
    provider: {
      provideChatSessionContent(
        resource: vscode.Uri,
        token: vscode.CancellationToken,
      ): Thenable<SessionContent> | SessionContent;
    },
    participant: vscode.ChatParticipant,
  ): vscode.Disposable;
}

/** The proposal's functions, when this VS Code offers them to this extension (else undefined). */
export function proposedChat(chat: typeof vscode.chat): ProposedChat | undefined {
  const maybe = chat as unknown as Partial<ProposedChat>;
  return typeof maybe.createChatSessionItemController === 'function' &&
    typeof maybe.registerChatSessionContentProvider === 'function'
    ? (maybe as ProposedChat)
    : undefined;
}
