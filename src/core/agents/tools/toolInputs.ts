import { z } from 'zod';

/** Input schemas of the work tools (DESIGN.md "Agent tool protocol"). Paths are checked by the guard. */

const path = z.string().describe('Workspace-relative path, e.g. "src/app.ts"');

export const readFileInput = z.object({
  path,
  offset: z.number().int().min(1).optional().describe('First line to return (1-based). Default 1.'),
  limit: z.number().int().min(1).optional().describe('How many lines to return. Default and maximum 2000.'),
});

export const listFilesInput = z.object({
  path: z.string().optional().describe('Folder to list, workspace-relative. Default: the workspace root.'),
  pattern: z.string().optional().describe('Glob filter, e.g. "**/*.ts"; without a "/" it matches file names.'),
});

export const searchFilesInput = z.object({
  query: z.string().min(1).describe('JavaScript regular expression, matched per line.'),
  path: z.string().optional().describe('Folder or file to search, workspace-relative. Default: the workspace root.'),
  pattern: z.string().optional().describe('Glob filter on file paths, e.g. "**/*.ts".'),
});

export const writeFileInput = z.object({
  path,
  content: z.string().describe('The complete new content of the file.'),
});

export const editFileInput = z.object({
  path,
  old_text: z.string().min(1).describe('Exact text to replace; must occur exactly once in the file.'),
  new_text: z.string().describe('Replacement text.'),
});

export const deleteFileInput = z.object({ path });

export type ReadFileInput = z.infer<typeof readFileInput>;
export type ListFilesInput = z.infer<typeof listFilesInput>;
export type SearchFilesInput = z.infer<typeof searchFilesInput>;
export type WriteFileInput = z.infer<typeof writeFileInput>;
export type EditFileInput = z.infer<typeof editFileInput>;
export type DeleteFileInput = z.infer<typeof deleteFileInput>;
