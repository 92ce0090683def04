/**
 * Orchestrator's files in the run's work tree as the project's checks read them (issue 70): before
 * a layer's validate commands and at the run's end, the spec's folder (spec.md, the trace beside
 * it, completion.json), the registry files in `.claude/` and the run folder's trace, written as
 * the project's own Prettier writes them, in the sandbox like any project command; and a validate
 * command that fails only on files no layer may write stops the run at once, naming them and the
 * tool: a retry of the layer could never change them.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { RunStop } from '../../errors';
import { runDir } from '../../journal';
import { filesNamed, formatCommand, isOurFile, projectPrettier } from '../../project/ownFiles';
import { loadSpec } from '../../project/specs';
import { runProjectCommand } from './projectCommand';
import { pytestClashOn } from './pytestClash';
import type { RunContext } from './runContext';

/** Per work tree, what was last written as the project's Prettier writes it (each file's size and time): nothing changed, nothing run. */
const tidied = new Map<string, string>();

/** Per work tree, the formatting under way: layers validating side by side wait for one run of it, never write the files twice at once. */
const running = new Map<string, Promise<void>>();

/** Per work tree, the last write of our files queued: Prettier's and a tick's (layers/specTicks.ts) never overlap, or one would undo the other. */
const writing = new Map<string, Promise<unknown>>();

/** Runs `write` once every earlier write of our files in the same work tree has ended. */
export function withOwnFiles<T>(workspace: string, write: () => Promise<T>): Promise<T> {
  const next = (writing.get(workspace) ?? Promise.resolve()).then(write);
  const settled = next.catch(() => undefined);
  writing.set(workspace, settled);
  void settled.then(() => writing.get(workspace) === settled && writing.delete(workspace));
  return next;
}

/** Writes our changed files as the project's Prettier does; a failure only warns (the check that reads them says the rest). */
export async function tidyOwnFiles(ctx: RunContext): Promise<void> {
  const under = running.get(ctx.workspace);
  if (under) return under;
  const tidy = withOwnFiles(ctx.workspace, () => tidyOnce(ctx)).finally(() => running.delete(ctx.workspace));
  running.set(ctx.workspace, tidy);
  return tidy;
}

async function tidyOnce(ctx: RunContext): Promise<void> {
  if (!ctx.host.isTrusted()) return;
  // The matrix written beside the phase lands first: a gate would read it unformatted (class-validator's Prettier 2).
  await ctx.tracing;
  const prettier = projectPrettier(ctx.workspace);
  if (!prettier) return;
  const files = (await ownFiles(ctx)).filter((file) => existsSync(join(ctx.workspace, file)));
  if (files.length === 0) return;
  if (tidied.get(ctx.workspace) === signature(ctx.workspace, files)) return;
  const result = await runProjectCommand(ctx, formatCommand(prettier, files), { kind: 'format' });
  if (result.exitCode !== 0) {
    ctx.warn(
      `The project's Prettier could not format Orchestrator's files (exit ${result.exitCode ?? 'none'}): ${result.output.trim().split('\n').slice(-3).join(' ')}`,
    );
    return;
  }
  tidied.set(ctx.workspace, signature(ctx.workspace, files));
}

function signature(workspace: string, files: readonly string[]): string {
  return files
    .map((file) => {
      const { size, mtimeMs } = statSync(join(workspace, file));
      return `${file}:${size}:${mtimeMs}`;
    })
    .join('\n');
}

/** The files of ours a run writes into its work tree: its spec's folder, the registry files in `.claude/`, the run folder's trace. */
async function ownFiles(ctx: RunContext): Promise<string[]> {
  const files: string[] = [];
  const specId = ctx.facts().specId;
  const spec = specId ? await loadSpec(ctx.workspace, specId).catch(() => undefined) : undefined;
  if (spec) {
    const folder = dirname(spec.path);
    for (const entry of readdirSync(join(ctx.workspace, folder), { withFileTypes: true }))
      if (entry.isFile()) files.push(`${folder}/${entry.name}`);
  }
  files.push(...(ctx.registry?.files ?? []).map((f) => f.path).filter(isOurFile));
  // The run folder is in the work tree only for a run in place (a worktree run's is in the checkout).
  if (ctx.home === ctx.workspace) {
    const run = relative(ctx.workspace, runDir(ctx.home, ctx.runId)).split('\\').join('/');
    files.push(`${run}/trace.md`, `${run}/trace.json`);
  }
  return [...new Set(files)];
}

/**
 * When every file the failing command's output names is one no layer may write (ours: `.claude/**`,
 * `spec/**`, `.git*`; a frozen proof test, when the tool is a formatter: its complaint is the file's
 * own shape; or pytest's collection stopped only by such a file's name: pytestClash.ts), the stop
 * that names them and the tool; else undefined (the layer's to fix).
 */
export function ownFilesStop(
  ctx: Pick<RunContext, 'workspace' | 'events'>,
  failure: { layer: string; command: string; output: string },
): RunStop | undefined {
  const clash = pytestClashOn(
    failure.output,
    ctx.workspace,
    (file) => isOurFile(file) || frozenTests(ctx.events).has(file),
  );
  const named = clash ?? filesNamed(failure.output, ctx.workspace);
  if (named.length === 0) return undefined;
  const tool = clash ? PYTEST_CLASH : toolOf(failure.command, failure.output);
  const frozen = tool.formatter ? frozenTests(ctx.events) : new Set<string>();
  if (!clash && !named.every((file) => isOurFile(file) || frozen.has(file))) return undefined;
  const report = [
    `## Pipeline stopped: ${tool.name} fails on files no layer may write`,
    `### Agent: ${failure.layer}`,
    `- Command: \`${failure.command}\``,
    `- It fails only on ${named.length === 1 ? 'this file' : 'these files'} (Orchestrator's own, or frozen proof tests):`,
    ...named.map((file) => `  - ${file}`),
    '- Its output:',
    `\`\`\`\n${failure.output.trim() || '(no output)'}\n\`\`\``,
    '### Action needed',
    `No retry of the layer could change ${named.length === 1 ? 'it' : 'them'}. ${tool.fix} Then run \`orchestrator resume\`.`,
  ].join('\n');
  return new RunStop(
    'validation',
    `validation of ${failure.layer} stopped: \`${failure.command}\` (${tool.name}) fails only on ${named.join(', ')}`,
    report,
  );
}

/** The proof tests frozen for the run (the latest `proof.frozen`). */
function frozenTests(events: RunContext['events']): Set<string> {
  let hashes: Record<string, string> = {};
  for (const e of events) if (e.type === 'proof.frozen') hashes = e.hashes;
  return new Set(Object.keys(hashes));
}

const PYTEST_CLASH = {
  name: 'pytest',
  formatter: false,
  fix: 'pytest imports a test module outside a package by its file name alone (`import file mismatch`): make the proof folder a package (an empty `__init__.py` in it), or rename the proof test so no test module of the project has its name.',
};

/** The tool a failing check's command or output names, and how its own ignore mechanism leaves our files alone. */
function toolOf(command: string, output: string): { name: string; formatter: boolean; fix: string } {
  const text = `${command}\n${output}`;
  if (/\bprettier\b/i.test(text))
    return {
      name: 'Prettier',
      formatter: true,
      fix: "Format them with the project's Prettier (`npx prettier --write <file>`), or add them to `.prettierignore` (`.claude/`, `spec/`).",
    };
  if (/\beslint\b/i.test(text))
    return {
      name: 'ESLint',
      formatter: false,
      fix: "Add them to the `ignores` of the project's ESLint config (a flat config does not read `.gitignore`): `{ ignores: ['.claude/', 'spec/'] }`.",
    };
  if (/\bmarkdownlint\b|\bMD\d{3}\//.test(text))
    return {
      name: 'markdownlint',
      formatter: false,
      fix: 'Add them to `.markdownlintignore` (`.claude/`, `spec/`), or to the `ignores` of its config.',
    };
  if (/\bbiome\b/i.test(text))
    return {
      name: 'Biome',
      formatter: true,
      fix: 'Format them with the project\'s Biome, or leave them out in its `files.includes` (`"!.claude"`, `"!spec"`).',
    };
  const name = command.trim().split(/\s+/)[0] ?? command;
  return {
    name: `\`${name}\``,
    formatter: false,
    fix: "Leave them out through the tool's own ignore file or option, or change the command so it does not read them.",
  };
}
