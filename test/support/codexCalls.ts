/**
 * What a scripted model says to the real Codex CLI (against responsesApiServer.ts): its own tools
 * (`exec_command` for the shell, `apply_patch` as a freeform patch) and a final JSON answer, and
 * what a test reads back of Codex's requests (the tool outputs it sent, its developer text).
 */
import { block, reply, systemText, type ScriptedReply } from './messagesApiServer';

/** A patch in Codex's apply_patch grammar adding (or replacing) whole files. */
export function addFilesPatch(files: Record<string, string>): string {
  const hunks = Object.entries(files).map(
    ([path, content]) =>
      `*** Add File: ${path}\n${content
        .replace(/\n$/, '')
        .split('\n')
        .map((line) => `+${line}`)
        .join('\n')}\n`,
  );
  return `*** Begin Patch\n${hunks.join('')}*** End Patch\n`;
}

export const codexSays = {
  shell: (cmd: string): ScriptedReply => reply.toolUse('exec_command', { cmd, yield_time_ms: 10_000 }),
  patch: (files: Record<string, string>): ScriptedReply =>
    reply.turn([block.toolUse('apply_patch', addFilesPatch(files))]),
  /** The final message: our final tool's input as JSON text (Codex's structured output). */
  answer: (value: unknown): ScriptedReply => reply.text(JSON.stringify(value)),
  done: (summary = 'Implemented the tasks of my layer.'): ScriptedReply =>
    reply.text(JSON.stringify({ status: 'done', summary, needs: null })),
};

export { toolOutputs, lastUserText as lastPrompt } from './messagesApiServer';

export { systemText };
