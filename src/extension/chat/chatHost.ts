/**
 * The chat room's one door for the composition root (app.ts): the `@orchestrator` participant,
 * the language model tools and (Insiders build, setting on) the runs among the agent sessions,
 * registered on the same services as the sidebar and the palette.
 */
import * as vscode from 'vscode';
import type { Services } from '../services';
import { Transcripts, type Transcript } from './chatStream';
import { registerChatParticipant } from './participant';
import { registerRunSessions } from './sessions/runSessions';
import { READ_TOOLS } from './tools/readTools';
import { START_TOOLS, startRunTool } from './tools/startRunTool';

export class ChatHost implements vscode.Disposable {
  private readonly transcripts = new Transcripts();
  private readonly registrations: vscode.Disposable[];

  constructor(s: Services) {
    const participant = registerChatParticipant(s, this.transcripts);
    const sessions = registerRunSessions(s, participant, this.transcripts);
    this.registrations = [
      participant,
      ...(sessions ? [sessions] : []),
      vscode.lm.registerTool(START_TOOLS.feature, startRunTool(s, this.transcripts, 'feature')),
      vscode.lm.registerTool(START_TOOLS.bugfix, startRunTool(s, this.transcripts, 'bugfix')),
      ...Object.entries(READ_TOOLS).map(([name, tool]) =>
        vscode.lm.registerTool<unknown>(name, tool(s) as vscode.LanguageModelTool<unknown>),
      ),
    ];
  }

  /** What the chat responses and tool calls of this window showed, newest last (the extension-host tests read it). */
  transcriptList(): readonly Transcript[] {
    return this.transcripts.all();
  }

  dispose(): void {
    for (const r of this.registrations) r.dispose();
  }
}
