import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { EngineUsageError } from '../../errors';
import { parseWorkflow } from './workflowFile';
import { summarize, type WorkflowListing } from './workflows';

/**
 * `orchestrator workflow check <file>`: one file validated as a run would load it. A problem is
 * a ProjectFileError (file:line:column key: …); the file is named as the user knows it, relative
 * to the workspace when it lies inside.
 */
export async function checkWorkflowFile(workspace: string, file: string): Promise<Omit<WorkflowListing, 'origin'>> {
  const path = resolve(workspace, file);
  const rel = relative(workspace, path);
  const shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split('\\').join('/') : file;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new EngineUsageError(
      `cannot read ${shown}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const workflow = parseWorkflow(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, shown);
  return { name: basename(path).replace(/\.ya?ml$/, ''), file: shown, ...summarize(workflow) };
}
