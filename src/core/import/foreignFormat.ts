/** Which foreign spec folder a folder is: a leaf, so the engine tells without loading the import room. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { isMustardSpecFolder } from '../mustard';
import { isOurSpecText } from '../project/specs';
import type { ImportedSpec } from './importedSpec';

/**
 * The folder's format, or undefined when it is none of them: Spec Kit has spec.md and tasks.md
 * (or spec.md and plan.md before `/speckit.tasks` wrote the tasks); Mustard has spec.md,
 * meta.json and plan.json; Kiro has requirements.md (bugfix.md for a bug spec, or design.md
 * with tasks.md for a design-first spec; design.md alone inside `.kiro/specs/`, before Kiro
 * wrote the tasks). A folder recognised without tasks.md is refused by the importer with why.
 */
export function foreignFormat(dir: string): ImportedSpec['format'] | undefined {
  if (!isDirectory(dir)) return undefined;
  const has = (name: string) => existsSync(resolve(dir, name));
  if (has('spec.md') && has('tasks.md')) return 'speckit';
  if (isMustardSpecFolder(dir)) return 'mustard';
  if (has('spec.md') && has('plan.md')) return 'speckit';
  // A spec.md of Mustard's with no marker files (older folders), under `.claude/spec/`: not one of ours (those open with front matter).
  if (has('spec.md'))
    return isUnder(dir, '.claude/spec') && !isOurSpecText(readHead(resolve(dir, 'spec.md'))) ? 'mustard' : undefined;
  if (has('requirements.md') || has('bugfix.md')) return 'kiro';
  if (has('design.md') && (has('tasks.md') || resolve(dir).includes(`${sep}.kiro${sep}specs${sep}`))) return 'kiro';
  return undefined;
}

const isUnder = (dir: string, parent: string) => resolve(dir).split(sep).join('/').includes(`/${parent}/`);

function readHead(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(0, 200);
  } catch {
    return '';
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
