import { lstat, readFile, unlink } from 'node:fs/promises';
import { writeFileAtomic } from './atomicWrite';
import { countLines, countOccurrences } from './textLines';
import {
  deleteFileInput,
  editFileInput,
  writeFileInput,
  type DeleteFileInput,
  type EditFileInput,
  type WriteFileInput,
} from './toolInputs';
import { ok, ToolError, type ChangePreview, type ToolContext, type WorkTool } from './toolTypes';

async function guardedWrite(raw: string, ctx: ToolContext) {
  const verdict = await ctx.guard.checkWrite(raw);
  if (!verdict.ok) throw new ToolError(verdict.reason);
  return verdict;
}

/** The current text of a regular file, or undefined when nothing is there. */
async function existingText(abs: string, rel: string): Promise<string | undefined> {
  const info = await lstat(abs).catch(() => undefined);
  if (!info) return undefined;
  if (info.isDirectory()) throw new ToolError(`${rel} is a directory`);
  return readFile(abs, 'utf8');
}

/** Applies one exact replacement; tolerates a model that sends LF text for a CRLF file. */
function replaceOnce(text: string, oldText: string, newText: string, rel: string): string {
  let from = oldText;
  let to = newText;
  let count = countOccurrences(text, from);
  if (count === 0 && text.includes('\r\n') && !oldText.includes('\r')) {
    from = oldText.replace(/\n/g, '\r\n');
    to = newText.replace(/\r?\n/g, '\r\n');
    count = countOccurrences(text, from);
  }
  if (count !== 1) {
    const hint =
      count === 0 ? 'read the file again and copy the text exactly' : 'include more surrounding lines so it is unique';
    throw new ToolError(`old_text must occur exactly once in ${rel} but occurs ${count} times; ${hint}`);
  }
  const at = text.indexOf(from);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

async function previewOrNull(work: () => Promise<ChangePreview>): Promise<ChangePreview | null> {
  // A call that will fail (refused path, missing file…) changes nothing, so it counts for nothing.
  return work().catch(() => null);
}

export const writeFileTool: WorkTool<WriteFileInput> = {
  name: 'write_file',
  description: 'Create a file or replace its whole content. Parent folders are created. Only inside your owned paths.',
  schema: writeFileInput,
  mutating: true,
  async run(input, ctx) {
    const { rel, abs } = await guardedWrite(input.path, ctx);
    const before = await existingText(abs, rel);
    await writeFileAtomic(abs, input.content);
    const bytes = Buffer.byteLength(input.content, 'utf8');
    ctx.recordChange({ path: rel, kind: 'written', existed: before !== undefined });
    ctx.emit({ type: 'file.written', agent: ctx.agent, path: rel, created: before === undefined, bytes });
    return ok(
      `${before === undefined ? 'created' : 'wrote'} ${rel} (${countLines(input.content)} lines, ${bytes} bytes)`,
    );
  },
  preview: (input, ctx) =>
    previewOrNull(async () => {
      const { rel, abs } = await guardedWrite(input.path, ctx);
      const before = await existingText(abs, rel);
      const removed = before === undefined ? 0 : countLines(before) - countLines(input.content);
      return { path: rel, removedLines: Math.max(0, removed), created: before === undefined, after: input.content };
    }),
};

export const editFileTool: WorkTool<EditFileInput> = {
  name: 'edit_file',
  description:
    'Replace old_text with new_text in a file. old_text must match the file exactly (whitespace included) and occur exactly once.',
  schema: editFileInput,
  mutating: true,
  async run(input, ctx) {
    const { rel, abs } = await guardedWrite(input.path, ctx);
    const before = await existingText(abs, rel);
    if (before === undefined) throw new ToolError(`file not found: ${rel}; use write_file to create it`);
    const after = replaceOnce(before, input.old_text, input.new_text, rel);
    await writeFileAtomic(abs, after);
    const bytes = Buffer.byteLength(after, 'utf8');
    ctx.recordChange({ path: rel, kind: 'written', existed: true });
    ctx.emit({ type: 'file.written', agent: ctx.agent, path: rel, created: false, bytes });
    return ok(`edited ${rel} (${countLines(before)} → ${countLines(after)} lines)`);
  },
  preview: (input, ctx) =>
    previewOrNull(async () => {
      const { rel, abs } = await guardedWrite(input.path, ctx);
      const removed = countLines(input.old_text) - countLines(input.new_text);
      const before = await existingText(abs, rel);
      const after = before === undefined ? undefined : replaceOnce(before, input.old_text, input.new_text, rel);
      return { path: rel, removedLines: Math.max(0, removed), ...(after !== undefined ? { after } : {}) };
    }),
};

export const deleteFileTool: WorkTool<DeleteFileInput> = {
  name: 'delete_file',
  description: 'Delete a file. Only inside your owned paths. Large deletions may need the user to confirm.',
  schema: deleteFileInput,
  mutating: true,
  async run(input, ctx) {
    const { rel, abs } = await guardedWrite(input.path, ctx);
    const before = await existingText(abs, rel);
    if (before === undefined) throw new ToolError(`file not found: ${rel}`);
    await unlink(abs);
    const lines = countLines(before);
    ctx.recordChange({ path: rel, kind: 'deleted', existed: true });
    ctx.emit({ type: 'file.deleted', agent: ctx.agent, path: rel, lines });
    return ok(`deleted ${rel} (${lines} lines)`);
  },
  preview: (input, ctx) =>
    previewOrNull(async () => {
      const { rel, abs } = await guardedWrite(input.path, ctx);
      const before = await existingText(abs, rel);
      if (before === undefined) throw new ToolError('nothing to delete');
      return { path: rel, removedLines: countLines(before), after: null };
    }),
};
