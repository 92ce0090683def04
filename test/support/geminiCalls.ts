/**
 * What a scripted model says to the real Gemini CLI (against geminiApiServer.ts): its own tools
 * (`write_file`, `replace`, `run_shell_command`, `read_file`) and a final JSON answer, and what a
 * test reads back of its requests (the tool outputs it sent, the last prompt).
 */
import { reply, type ScriptedReply } from './messagesApiServer';

export const geminiSays = {
  write: (filePath: string, content: string): ScriptedReply =>
    reply.toolUse('write_file', { file_path: filePath, content }),
  shell: (command: string): ScriptedReply => reply.toolUse('run_shell_command', { command }),
  read: (filePath: string): ScriptedReply => reply.toolUse('read_file', { file_path: filePath }),
  /** The final message: our final tool's input as JSON text (fenced, as Gemini models often write it). */
  answer: (value: unknown): ScriptedReply => reply.text(`\`\`\`json\n${JSON.stringify(value)}\n\`\`\``),
  done: (summary = 'Implemented the tasks of my layer.'): ScriptedReply =>
    reply.text(JSON.stringify({ status: 'done', summary })),
};

export { toolOutputs, lastUserText as lastPrompt } from './messagesApiServer';
