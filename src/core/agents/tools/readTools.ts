import { readFile, stat } from 'node:fs/promises';
import { walkFiles } from './fileWalker';
import { looksBinary } from './textLines';
import { listFilesInput, readFileInput, searchFilesInput, type ListFilesInput, type ReadFileInput, type SearchFilesInput } from './toolInputs';
import { ok, ToolError, type ToolContext, type WorkTool } from './toolTypes';
import { searchInFiles } from './searchInFiles';

export const READ_LIMITS = {
  /** Lines per read_file call. */
  maxLines: 2000,
  /** Characters per returned line; minified bundles would otherwise flood the context. */
  maxLineChars: 2000,
  /** Files bigger than this are refused rather than loaded whole into memory. */
  maxFileBytes: 10 * 1024 * 1024,
  maxListed: 500,
};

async function guardedRead(raw: string, ctx: ToolContext) {
  const verdict = await ctx.guard.checkRead(raw);
  if (!verdict.ok) throw new ToolError(verdict.reason);
  return verdict;
}

export const readFileTool: WorkTool<ReadFileInput> = {
  name: 'read_file',
  description:
    `Read a text file. Lines come back as "<number>\\t<text>" (the number and tab are not part of the file). ` +
    `At most ${READ_LIMITS.maxLines} lines per call; use offset and limit to page through large files.`,
  schema: readFileInput,
  mutating: false,
  async run(input, ctx) {
    const { rel, abs } = await guardedRead(input.path, ctx);
    const info = await stat(abs).catch(() => undefined);
    if (!info) throw new ToolError(`file not found: ${rel}`);
    if (info.isDirectory()) throw new ToolError(`${rel || '.'} is a directory; use list_files`);
    if (info.size > READ_LIMITS.maxFileBytes) {
      throw new ToolError(`${rel} is too large to read (${info.size} bytes); use search_files to find what you need`);
    }
    const bytes = await readFile(abs);
    if (looksBinary(bytes)) return ok(`[${rel} is a binary file of ${bytes.length} bytes; its content is not shown]`);

    const lines = bytes.toString('utf8').split(/\r?\n/);
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    const total = bytes.length === 0 ? 0 : lines.length;
    if (total === 0) return ok(`[${rel} is empty]`);
    const first = input.offset ?? 1;
    if (first > total) throw new ToolError(`offset ${first} is past the end of ${rel} (${total} lines)`);
    const count = Math.min(input.limit ?? READ_LIMITS.maxLines, READ_LIMITS.maxLines);
    const last = Math.min(total, first + count - 1);

    let clipped = 0;
    const body = lines.slice(first - 1, last).map((line, i) => {
      let text = line;
      if (text.length > READ_LIMITS.maxLineChars) {
        text = `${text.slice(0, READ_LIMITS.maxLineChars)}… [line truncated]`;
        clipped++;
      }
      return `${first + i}\t${text}`;
    });
    const notices: string[] = [];
    if (first > 1 || last < total) {
      const next = last < total ? `; call read_file with offset=${last + 1} to continue` : '';
      notices.push(`[truncated: showing lines ${first}-${last} of ${total}${next}]`);
    }
    if (clipped > 0) notices.push(`[${clipped} long line(s) cut at ${READ_LIMITS.maxLineChars} characters]`);
    return ok([...body, ...notices].join('\n'));
  },
};

export const listFilesTool: WorkTool<ListFilesInput> = {
  name: 'list_files',
  description:
    `List files under a folder, recursively (files ignored by .gitignore, .git and node_modules are skipped). ` +
    `At most ${READ_LIMITS.maxListed} paths are returned.`,
  schema: listFilesInput,
  mutating: false,
  async run(input, ctx) {
    const { rel, abs } = await guardedRead(input.path ?? '.', ctx);
    const info = await stat(abs).catch(() => undefined);
    if (!info) throw new ToolError(`folder not found: ${rel}`);
    if (!info.isDirectory()) throw new ToolError(`${rel} is a file, not a folder; use read_file`);
    const { files, truncated } = await walkFiles(ctx.guard.root, {
      start: rel,
      pattern: input.pattern,
      maxFiles: READ_LIMITS.maxListed,
    });
    if (files.length === 0) return ok(`[no files found under ${rel || '.'}${input.pattern ? ` matching ${input.pattern}` : ''}]`);
    const notice = truncated ? [`[truncated: first ${files.length} files shown; narrow path or pattern]`] : [];
    return ok([...files, ...notice].join('\n'));
  },
};

export const searchFilesTool: WorkTool<SearchFilesInput> = {
  name: 'search_files',
  description:
    'Search file contents with a JavaScript regular expression, line by line. Results are "path:line:text"; ' +
    'the number of matches is capped. Files ignored by .gitignore are skipped.',
  schema: searchFilesInput,
  mutating: false,
  async run(input, ctx) {
    let regex: RegExp;
    try {
      regex = new RegExp(input.query);
    } catch (error) {
      throw new ToolError(`invalid regex ${JSON.stringify(input.query)}: ${(error as Error).message}`);
    }
    const { rel, abs } = await guardedRead(input.path ?? '.', ctx);
    const info = await stat(abs).catch(() => undefined);
    if (!info) throw new ToolError(`not found: ${rel}`);
    return ok(await searchInFiles(ctx.guard.root, info.isDirectory() ? { folder: rel } : { file: rel }, regex, input.pattern));
  },
};
