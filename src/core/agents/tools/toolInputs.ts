import * as z from 'zod/mini';

/** Input schemas of the work tools (docs/pipeline.md "Agent tool protocol"). Paths are checked by the guard. */

const path = z.string().check(z.describe('Workspace-relative path, e.g. "src/app.ts"'));
const lineNumber = z.number().check(z.int(), z.minimum(1));

export const readFileInput = z.object({
  path,
  offset: z.optional(lineNumber).check(z.describe('First line to return (1-based). Default 1.')),
  limit: z.optional(lineNumber).check(z.describe('How many lines to return. Default and maximum 2000.')),
});

export const listFilesInput = z.object({
  path: z.optional(z.string()).check(z.describe('Folder to list, workspace-relative. Default: the workspace root.')),
  pattern: z
    .optional(z.string())
    .check(z.describe('Glob filter, e.g. "**/*.ts"; without a "/" it matches file names.')),
});

export const searchFilesInput = z.object({
  query: z.string().check(z.minLength(1), z.describe('JavaScript regular expression, matched per line.')),
  path: z
    .optional(z.string())
    .check(z.describe('Folder or file to search, workspace-relative. Default: the workspace root.')),
  pattern: z.optional(z.string()).check(z.describe('Glob filter on file paths, e.g. "**/*.ts".')),
});

export const writeFileInput = z.object({
  path,
  content: z.string().check(z.describe('The complete new content of the file.')),
});

export const editFileInput = z.object({
  path,
  old_text: z.string().check(z.minLength(1), z.describe('Exact text to replace; must occur exactly once in the file.')),
  new_text: z.string().check(z.describe('Replacement text.')),
});

export const deleteFileInput = z.object({ path });

export type ReadFileInput = z.infer<typeof readFileInput>;
export type ListFilesInput = z.infer<typeof listFilesInput>;
export type SearchFilesInput = z.infer<typeof searchFilesInput>;
export type WriteFileInput = z.infer<typeof writeFileInput>;
export type EditFileInput = z.infer<typeof editFileInput>;
export type DeleteFileInput = z.infer<typeof deleteFileInput>;
