/**
 * Our files at `init` (issue 70): written as the project's own Prettier writes them when it has
 * one (formatOwnFiles), and present in verification's throwaway worktree as init and a run would
 * write them (ownFilesForVerification: the config, its schema, the context files and templates, a
 * spec with the trace beside it, a run folder's trace with `.gitignore` naming it), formatted the
 * same way, so a gate they would break is known at `init`, not in the first run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '../../process';
import {
  CONFIG_SCHEMA_FILE,
  configJsonSchema,
  copyTemplates,
  ignoreRunJournals,
  loadConfigText,
} from '../../project/config';
import { formatCommand, isOurFile, projectPrettier } from '../../project/ownFiles';
import { CONFIG_FILE, CONTEXT_DIR, writeFileAtomic } from '../../project/sources';
import { createSpec } from '../../project/specs';
import { traceOfSpec, writeMatrixMarkdown } from '../../trace';
import { censusDocument } from './configDocument';
import { layerContext } from './contextFiles';
import type { Census } from '../types';

/** The config's JSON Schema as init writes it. */
export const configSchemaText = (): string => `${JSON.stringify(configJsonSchema(), null, 2)}\n`;

/**
 * Writes `files` (workspace-relative, ours) as the project's Prettier does; the files it formatted,
 * or why it could not (it only warns: the files stay as written). Nothing when the project has no Prettier.
 */
export async function formatOwnFiles(
  workspace: string,
  files: readonly string[],
  options: { env?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<{ formatted: string[]; error?: string }> {
  const prettier = projectPrettier(workspace);
  const ours = files.filter((file) => isOurFile(file) && file !== '.gitignore');
  if (!prettier || ours.length === 0) return { formatted: [] };
  const result = await runCommand(formatCommand(prettier, ours), {
    cwd: workspace,
    timeoutSec: 60,
    ...(options.env ? { env: options.env } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (result.exitCode === 0) return { formatted: ours };
  const last = result.output.trim().split('\n').slice(-3).join(' ');
  return {
    formatted: [],
    error: `the project's Prettier could not format them (exit ${result.exitCode ?? 'none'}): ${last}`,
  };
}

/** What verification's worktree gets before its commands run: our files as init and a run would write them. */
export function ownFilesForVerification(
  census: Census,
  templatesDir: string | undefined,
): (cwd: string, env: Record<string, string>, signal?: AbortSignal) => Promise<void> {
  return async (cwd, env, signal) => {
    const written: string[] = [];
    const write = async (path: string, text: string) => {
      // A file the repository has already (a config kept on re-init, edited context files) stays as it is.
      await writeFile(join(cwd, path), text, { flag: 'wx' }).then(
        () => written.push(path),
        (error: NodeJS.ErrnoException) => {
          if (error.code !== 'EEXIST') throw error;
        },
      );
    };
    await writeFileAtomic(join(cwd, CONFIG_SCHEMA_FILE), configSchemaText());
    written.push(CONFIG_SCHEMA_FILE);
    const proposal = censusDocument(census).toString({ lineWidth: 0 });
    await write(CONFIG_FILE, proposal);
    await mkdir(join(cwd, CONTEXT_DIR), { recursive: true });
    for (const layer of census.layers) await write(`${CONTEXT_DIR}/${layer.name}.context.md`, layerContext(layer));
    if (templatesDir)
      written.push(...(await copyTemplates(cwd, templatesDir, (file) => file === 'orchestrator.yaml')).created);
    await ignoreRunJournals(cwd);
    written.push(...(await specAndTrace(cwd, census, proposal)));
    await formatOwnFiles(cwd, written, { env, ...(signal ? { signal } : {}) });
  };
}

/** A spec as the spec agent's store writes it, its trace beside it and in a run folder, as a run writes them. */
async function specAndTrace(cwd: string, census: Census, proposal: string): Promise<string[]> {
  const layers = census.layers.map((l) => l.name);
  const layer = census.layers[0];
  const file = layer?.owns[0]?.replace(/\*.*$/, '') ?? '';
  const spec = await createSpec(cwd, {
    title: 'Verification of the checks with Orchestrator files present',
    kind: 'feature',
    status: 'approved',
    layers,
    content: {
      summary: 'A spec as a run writes it: the project checks read it as they read every file of the work tree.',
      requirements: [
        {
          id: 'REQ-1',
          title: 'The checks pass with Orchestrator files present',
          criteria: ["WHEN a run has written its spec and trace THE project's checks SHALL pass as before"],
        },
      ],
      files: Object.fromEntries(
        layers.map((l) => [l, l === layer?.name ? [{ path: `${file}example`, description: 'an example' }] : []]),
      ),
      tasks: layer ? [{ text: `${layer.name}: \`${file}example\``, requirements: ['REQ-1'] }] : [],
    },
  });
  const folder = spec.path.replace(/\/spec\.md$/, '');
  const config = await loadConfigText(cwd, proposal).catch(() => undefined);
  if (!config) return [spec.path];
  const runId = 'init-verify';
  const matrix = await traceOfSpec(cwd, config, spec.id, { run: { runId, events: [] } });
  await writeMatrixMarkdown(matrix, join(cwd, folder, 'trace.md'));
  await writeMatrixMarkdown(matrix, join(cwd, '.claude/runs', runId, 'trace.md'));
  await writeFileAtomic(join(cwd, '.claude/runs', runId, 'trace.json'), `${JSON.stringify(matrix, null, 2)}\n`);
  return [spec.path, `${folder}/trace.md`, `.claude/runs/${runId}/trace.md`, `.claude/runs/${runId}/trace.json`];
}
