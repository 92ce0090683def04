import { open, stat } from 'node:fs/promises';
import { redactSecrets } from '../../text/secrets';
import { walkFiles } from './fileWalker';
import { readLinePage } from './linePage';
import { looksBinary } from './textLines';
import {
  listFilesInput,
  readFileInput,
  searchFilesInput,
  type ListFilesInput,
  type ReadFileInput,
  type SearchFilesInput,
} from './toolInputs';
import { ok, ToolError, type ToolContext, type WorkTool } from './toolTypes';
import { searchInFiles } from './searchInFiles';

export const READ_LIMITS = {
  /** Lines per read_file call. */
  maxLines: 2000,
  /** Characters per returned line; minified bundles would otherwise flood the context. */
  maxLineChars: 2000,
  /** Characters of one read_file result (~200 KB); the notice gives the offset to continue. */
  maxReadChars: 200 * 1024,
  /** Bytes read past a page only to count the file's lines. */
  maxCountBytes: 64 * 1024 * 1024,
  maxListed: 500,
  /** Characters of one list_files result. */
  maxListedChars: 100 * 1024,
};

async function guardedRead(raw: string, ctx: ToolContext) {
  const verdict = await ctx.guard.checkRead(raw);
  if (!verdict.ok) throw new ToolError(verdict.reason);
  return verdict;
}

/** File content on its way to the model: credential-shaped values masked, and the agent told so. */
function redactedResult(content: string) {
  const { text, count } = redactSecrets(content);
  return ok(count > 0 ? `${text}\n[${count} value(s) that look like secrets (tokens, keys) were redacted]` : text);
}

async function firstBytes(abs: string, count: number): Promise<Buffer> {
  const handle = await open(abs, 'r');
  try {
    const buffer = Buffer.alloc(count);
    const { bytesRead } = await handle.read(buffer, 0, count, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export const readFileTool: WorkTool<ReadFileInput> = {
  name: 'read_file',
  description:
    `Read a text file. Lines come back as "<number>\\t<text>" (the number and tab are not part of the file). ` +
    `At most ${READ_LIMITS.maxLines} lines or about ${READ_LIMITS.maxReadChars / 1024} KB per call; use offset and limit to page through large files.`,
  schema: readFileInput,
  mutating: false,
  async run(input, ctx) {
    const { rel, abs } = await guardedRead(input.path, ctx);
    const info = await stat(abs).catch(() => undefined);
    if (!info) throw new ToolError(`file not found: ${rel}`);
    if (info.isDirectory()) throw new ToolError(`${rel || '.'} is a directory; use list_files`);
    if (!info.isFile()) throw new ToolError(`${rel} is not a regular file`);
    if (looksBinary(await firstBytes(abs, 8000)))
      return ok(`[${rel} is a binary file of ${info.size} bytes; its content is not shown]`);

    const first = input.offset ?? 1;
    const page = await readLinePage(abs, first, {
      maxLines: Math.min(input.limit ?? READ_LIMITS.maxLines, READ_LIMITS.maxLines),
      maxLineChars: READ_LIMITS.maxLineChars,
      maxChars: READ_LIMITS.maxReadChars,
      maxCountBytes: READ_LIMITS.maxCountBytes,
    });
    if (page.total === 0) return ok(`[${rel} is empty]`);
    if (page.numbered.length === 0)
      throw new ToolError(`offset ${first} is past the end of ${rel} (${page.total} lines)`);
    const total = page.totalKnown ? String(page.total) : `more than ${page.total}`;
    const notices: string[] = [];
    const more = !page.totalKnown || page.last < page.total;
    if (first > 1 || more) {
      const next = more ? `; call read_file with offset=${page.last + 1} to continue` : '';
      const why = page.fullByChars ? ` (a result holds about ${READ_LIMITS.maxReadChars / 1024} KB)` : '';
      notices.push(`[truncated: showing lines ${first}-${page.last} of ${total}${why}${next}]`);
    }
    if (page.clipped > 0) notices.push(`[${page.clipped} long line(s) cut at ${READ_LIMITS.maxLineChars} characters]`);
    return redactedResult([...page.numbered, ...notices].join('\n'));
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
      hidden: (path, isDir) => ctx.guard.hiddenReason(path, isDir),
    });
    if (files.length === 0)
      return ok(`[no files found under ${rel || '.'}${input.pattern ? ` matching ${input.pattern}` : ''}]`);
    let chars = 0;
    const shown = files.filter((file) => (chars += file.length + 1) <= READ_LIMITS.maxListedChars);
    const notice =
      truncated || shown.length < files.length
        ? [`[truncated: first ${shown.length} files shown; narrow path or pattern]`]
        : [];
    return ok([...shown, ...notice].join('\n'));
  },
};

export const searchFilesTool: WorkTool<SearchFilesInput> = {
  name: 'search_files',
  description:
    'Search file contents with a JavaScript regular expression, line by line. Results are "path:line:text"; ' +
    'the number of matches is capped. Files ignored by .gitignore are skipped, and so is a file the pattern takes too long on (reported).',
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
    const found = await searchInFiles(
      {
        root: ctx.guard.root,
        where: info.isDirectory() ? { folder: rel } : { file: rel },
        pattern: input.pattern,
        hidden: (path, isDir) => ctx.guard.hiddenReason(path, isDir),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      },
      regex,
    );
    return redactedResult(found);
  },
};
