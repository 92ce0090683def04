import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { walkFiles } from './fileWalker';
import { looksBinary } from './textLines';

export const SEARCH_LIMITS = {
  maxMatches: 100,
  maxFilesScanned: 5000,
  /** Larger files are skipped: generated bundles and data dumps drown real matches. */
  maxFileBytes: 1024 * 1024,
  /** Characters of each matching line shown, and the longest line tested (bounds regex work). */
  maxLineChars: 300,
  maxTestedLineChars: 4000,
};

/**
 * Greps `regex` through the files in a folder (gitignore-aware) or through one file,
 * returning "path:line:text" lines plus a notice when the results were capped.
 */
export async function searchInFiles(
  root: string,
  where: { folder: string } | { file: string },
  regex: RegExp,
  pattern: string | undefined,
): Promise<string> {
  const walked =
    'file' in where
      ? { files: [where.file], truncated: false }
      : await walkFiles(root, { start: where.folder, pattern, maxFiles: SEARCH_LIMITS.maxFilesScanned });

  const matches: string[] = [];
  let capped = false;
  for (const rel of walked.files) {
    const abs = join(root, rel);
    const info = await stat(abs).catch(() => undefined);
    if (!info?.isFile() || info.size > SEARCH_LIMITS.maxFileBytes) continue;
    const bytes = await readFile(abs).catch(() => undefined);
    if (!bytes || looksBinary(bytes)) continue;
    const lines = bytes.toString('utf8').split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (!regex.test(line.length > SEARCH_LIMITS.maxTestedLineChars ? line.slice(0, SEARCH_LIMITS.maxTestedLineChars) : line)) continue;
      if (matches.length === SEARCH_LIMITS.maxMatches) {
        capped = true;
        break;
      }
      const shown = line.length > SEARCH_LIMITS.maxLineChars ? `${line.slice(0, SEARCH_LIMITS.maxLineChars)}…` : line;
      matches.push(`${rel}:${i + 1}:${shown}`);
    }
    if (capped) break;
  }

  const notices: string[] = [];
  if (capped) notices.push(`[truncated: first ${SEARCH_LIMITS.maxMatches} matches shown; narrow the query, path or pattern]`);
  if (walked.truncated) notices.push(`[only the first ${SEARCH_LIMITS.maxFilesScanned} files were searched; narrow path or pattern]`);
  if (matches.length === 0) return [`[no matches for ${regex.source}]`, ...notices].join('\n');
  return [...matches, ...notices].join('\n');
}
