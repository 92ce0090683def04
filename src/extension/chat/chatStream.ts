/**
 * What the chat host writes into a response: the stable parts only, markdown as plain strings
 * only (see markdown.ts), and each part also recorded as plain data. The record is the run's chat
 * transcript: the extension-host tests read it (the workbench's rendering is the UI test's), and
 * `/status` can say what a response showed after its handler ended.
 */
import * as vscode from 'vscode';
import { escapeInline } from './markdown';

export type TranscriptPart =
  | { kind: 'markdown'; value: string }
  | { kind: 'progress'; value: string }
  | { kind: 'reference'; path: string }
  | { kind: 'button'; title: string; command: string; arguments: unknown[] }
  | { kind: 'filetree'; base: string; tree: vscode.ChatResponseFileTree[] };

export interface Transcript {
  /** `/feature …` as typed, or the tool's name. */
  request: string;
  /** When the request arrived (ms since the epoch) and when its first progress part went out. */
  at: number;
  firstProgressAt?: number;
  parts: TranscriptPart[];
  runId?: string;
}

/** The response as the chat host writes it: no MarkdownString, so nothing can be trusted by mistake. */
export interface ChatOut {
  markdown(value: string): void;
  progress(value: string): void;
  reference(uri: vscode.Uri): void;
  button(title: string, command: string, args: unknown[]): void;
  filetree(tree: vscode.ChatResponseFileTree[], base: vscode.Uri): void;
  readonly transcript: Transcript;
}

/** A ChatOut writing into `stream` (absent for a tool call: recorded only). */
export function chatOut(stream: vscode.ChatResponseStream | undefined, transcript: Transcript): ChatOut {
  const record = (part: TranscriptPart) => transcript.parts.push(part);
  return {
    transcript,
    markdown(value) {
      stream?.markdown(value);
      record({ kind: 'markdown', value });
    },
    progress(text) {
      // VS Code renders a progress part as markdown; it holds names from the workspace (layers, an audit's target).
      const value = escapeInline(text, 1000);
      transcript.firstProgressAt ??= Date.now();
      stream?.progress(value);
      record({ kind: 'progress', value });
    },
    reference(uri) {
      stream?.reference(uri);
      record({ kind: 'reference', path: uri.fsPath });
    },
    button(title, command, args) {
      stream?.button({ title, command, arguments: args });
      record({ kind: 'button', title, command, arguments: args });
    },
    filetree(tree, base) {
      stream?.filetree(tree, base);
      record({ kind: 'filetree', base: base.fsPath, tree });
    },
  };
}

/** The last transcripts of this window, newest last, bounded. */
export class Transcripts {
  private readonly list: Transcript[] = [];

  begin(request: string): Transcript {
    const transcript: Transcript = { request, at: Date.now(), parts: [] };
    this.list.push(transcript);
    if (this.list.length > 50) this.list.shift();
    return transcript;
  }

  all(): readonly Transcript[] {
    return this.list;
  }
}
