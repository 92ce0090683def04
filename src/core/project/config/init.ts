import { constants } from 'node:fs';
import { appendFile, copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

export interface TemplateCopy {
  /** Workspace-relative paths written. */
  created: string[];
  /** Workspace-relative paths that already existed and were left alone. */
  skipped: string[];
}

/** Template folders never copied: run journals belong to the repository they ran in. */
const SKIPPED_DIRS = new Set(['runs']);

/**
 * Copies the shipped templates into `.claude/` (empty registry, context files of the spec,
 * review, diagnose and audit agents…) except those `skip` names (template-relative, posix).
 * Existing files are never overwritten: the copy uses COPYFILE_EXCL, so even a file appearing
 * meanwhile is kept. The shipped workflows stay in the package (read from there, so they improve
 * with it); a team copies one into `.claude/workflows/` to adapt it.
 */
export async function copyTemplates(
  workspace: string,
  templatesDir: string,
  skip: (file: string) => boolean = () => false,
): Promise<TemplateCopy> {
  const result: TemplateCopy = { created: [], skipped: [] };
  const target = join(workspace, '.claude');
  for (const file of await listTemplateFiles(templatesDir)) {
    const posix = file.split('\\').join('/');
    if (posix.startsWith('workflows/') || skip(posix)) continue;
    const destination = join(target, file);
    const shown = relative(workspace, destination).split('\\').join('/');
    await mkdir(join(destination, '..'), { recursive: true });
    try {
      await copyFile(join(templatesDir, file), destination, constants.COPYFILE_EXCL);
      result.created.push(shown);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      result.skipped.push(shown);
    }
  }
  return result;
}

export const RUNS_IGNORE = '.claude/runs/';

/** What ignoreRunJournals did to `.gitignore`, said as it happened. */
export type GitignoreChange = 'created' | 'appended' | 'unchanged';

/** Run journals are local state, not project history: keep them out of `git status`. */
export async function ignoreRunJournals(workspace: string): Promise<GitignoreChange> {
  const file = join(workspace, '.gitignore');
  const current = await readFile(file, 'utf8').catch(() => undefined);
  const lines = (current ?? '').split(/\r?\n/).map((line) => line.trim());
  if (lines.some((line) => line === RUNS_IGNORE || line === '.claude/runs' || line === '/.claude/runs/'))
    return 'unchanged';
  await appendFile(
    file,
    `${current === undefined || current === '' || current.endsWith('\n') ? '' : '\n'}${RUNS_IGNORE}\n`,
  );
  return current === undefined ? 'created' : 'appended';
}

export function gitignoreMessage(change: GitignoreChange): string | undefined {
  if (change === 'created') return `created .gitignore with ${RUNS_IGNORE}`;
  if (change === 'appended') return `added ${RUNS_IGNORE} to .gitignore`;
  return undefined;
}

/** Regular files under `dir`, relative to it, sorted; skips `runs/` at the top level and symlinks. */
async function listTemplateFiles(dir: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  const entries = await readdir(join(dir, prefix), { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = prefix === '' ? entry.name : join(prefix, entry.name);
    if (entry.isDirectory()) {
      if (prefix === '' && SKIPPED_DIRS.has(entry.name)) continue;
      files.push(...(await listTemplateFiles(dir, path)));
    } else if (entry.isFile()) {
      files.push(path);
    }
  }
  return files;
}
