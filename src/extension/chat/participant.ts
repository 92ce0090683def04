/**
 * The `@orchestrator` chat participant (the stable Chat Participant API; contributed in
 * package.json with its slash commands): one more host of the engine beside the sidebar and the
 * CLI. Each request is a slash command (chatCommands.ts); its response is recorded (chatStream.ts)
 * and its result names the next step, which the follow-ups propose.
 */
import * as vscode from 'vscode';
import { redact } from '../log/redact';
import type { Services } from '../services';
import { check, followupMetadata, type FollowupMetadata } from './chatInputs';
import { runChatCommand } from './chatCommands';
import { chatOut, type Transcripts } from './chatStream';
import { escapeInline } from './markdown';

export const PARTICIPANT_ID = 'orchestrator.chat';

function followups(metadata: FollowupMetadata): vscode.ChatFollowup[] {
  const { next, specId, runId } = metadata;
  if (next === 'approve' && specId)
    return [{ prompt: specId, command: 'approve', label: `Approve the saved spec ${specId}` }];
  if (next === 'resume' && runId) return [{ prompt: runId, command: 'resume', label: `Resume run ${runId}` }];
  if (next === 'verify' && specId)
    return [{ prompt: specId, command: 'status', label: `Verify ${specId} against today's code` }];
  if (next === 'status') return [{ prompt: '', command: 'status', label: 'Show the runs' }];
  return [];
}

export function registerChatParticipant(s: Services, transcripts: Transcripts): vscode.ChatParticipant {
  const handler: vscode.ChatRequestHandler = async (request, _context, stream, token) => {
    const transcript = transcripts.begin(`${request.command ? `/${request.command} ` : ''}${request.prompt}`);
    const out = chatOut(stream, transcript);
    try {
      const next = await runChatCommand(
        { s, out, prompt: request.prompt, references: request.references, token },
        request.command,
      );
      return { metadata: next ?? {} };
    } catch (err) {
      const message = redact(err instanceof Error ? err.message : String(err));
      s.log.write('error', `chat /${request.command ?? ''}: ${message}`);
      out.markdown(`**Orchestrator:** ${escapeInline(message)}`);
      return { metadata: {} };
    }
  };
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, handler);
  participant.iconPath = vscode.Uri.joinPath(s.extensionUri, 'media', 'orchestrator.svg');
  participant.followupProvider = {
    provideFollowups(result) {
      const metadata = check(followupMetadata, result.metadata);
      return metadata.ok ? followups(metadata.value) : [];
    },
  };
  return participant;
}
