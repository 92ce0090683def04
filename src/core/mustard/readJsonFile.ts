import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ParsedSource, parseJsonSource, ProjectFileError } from '../project/sources';

/**
 * Reads one of Mustard's JSON files. Mustard's files are not ours: a missing file is nothing,
 * and a broken one is a warning naming file:line:col, never a stop.
 */
export async function readForeignJson(
  workspace: string,
  file: string,
): Promise<{ source?: ParsedSource; text?: string; warnings: string[] }> {
  let text: string;
  try {
    text = await readFile(join(workspace, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { warnings: [] };
    return { warnings: [`${file}: could not be read (${code ?? String(error)}); ignored`] };
  }
  try {
    return { source: parseJsonSource(text.replace(/^\uFEFF/, ''), file), text, warnings: [] };
  } catch (error) {
    if (error instanceof ProjectFileError) return { text, warnings: [`${error.message}; the file is ignored`] };
    throw error;
  }
}
