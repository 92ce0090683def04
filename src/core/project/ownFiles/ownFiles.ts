/**
 * Orchestrator's own files in a user's work tree (issue 70): `.claude/` (config, its schema,
 * context files, templates, registry, the run folders) and the spec folders (`spec/`: spec.md,
 * the trace beside it, completion.json). The project's own checks must never fail on them: run
 * output is ignored (`.gitignore`, which Prettier 3 reads too), the durable ones are written as
 * the project's formatter writes them (its own Prettier, run on them: formatCommand), and a check
 * that still fails only on them is said at `init` and stops a run at once (filesNamed).
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, relative, sep } from 'node:path';
import { quote } from 'shell-quote';
import { protectedGlobOf } from '../config';

/** Where specs live besides `.claude/spec/` (project/specs). */
const SPEC_ROOT = 'spec/';

/** Whether a workspace-relative path is a file no layer may write: ours (`.claude/**`, `spec/**`) or another protected one (`.git*`, `.vscode/**`). */
export function isOurFile(rel: string): boolean {
  const posix = rel.split(sep).join('/').replace(/^\.\//, '');
  return posix.startsWith(SPEC_ROOT) || protectedGlobOf(posix) !== undefined;
}

/**
 * The project's own Prettier CLI script, as `npx prettier` would find it from `workspace`
 * (its `node_modules`, or a parent's); undefined when the project has none.
 */
export function projectPrettier(workspace: string): string | undefined {
  try {
    const manifest = createRequire(join(workspace, 'package.json')).resolve('prettier/package.json');
    const { bin } = createRequire(manifest)('./package.json') as { bin?: string | Record<string, string> };
    const script = typeof bin === 'string' ? bin : bin?.prettier;
    return script ? join(manifest, '..', script) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The command that writes `files` (workspace-relative) as the project's Prettier does, with its
 * config and ignore files: a file it ignores (`.prettierignore`; `.gitignore` for Prettier 3) or
 * does not know is left as it is.
 */
export function formatCommand(prettier: string, files: readonly string[]): string {
  return quote(['node', prettier, '--write', '--ignore-unknown', '--no-error-on-unmatched-pattern', ...files]);
}

/**
 * The files of `root` a command's output names (relative to it, `/`-separated): each word that is
 * a path to an existing file, absolute under `root` or relative to it, without the place after it
 * (`file:3:5`, `file(3,5)`) or the punctuation around it.
 */
export function filesNamed(output: string, root: string): string[] {
  const named = new Set<string>();
  // A package manager's echo of the script it runs (`> node scripts/lint.mjs`, `npm error command
  // sh -c …`) names the tool, not a file it complains of.
  const said = output
    .split('\n')
    .filter((line) => !/^\s*(?:[>$]\s|npm (?:error|ERR!)|ELIFECYCLE|\s*ERR_PNPM_|error Command failed)/.test(line))
    .join('\n');
  for (const word of said.split(/[\s"'`<>|;]+/)) {
    const path = word
      .replace(/^[([{]+/, '')
      .replace(/[:,]$/, '')
      .replace(/\(\d+(?:,\d+)?\)$/, '')
      .replace(/(?::\d+)+$/, '')
      .replace(/[:,)\]}.]+$/, '');
    if (!/[\w.-]/.test(path) || path.length > 4096) continue;
    const rel = isAbsolute(path) ? relative(root, path) : path.replace(/^\.\//, '');
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue;
    if (isFile(join(root, rel))) named.add(rel.split(sep).join('/'));
  }
  return [...named];
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
