/**
 * Bring your spec (issues 10 and 18): a Kiro spec folder (requirements.md or bugfix.md,
 * design.md, tasks.md; design-first: design.md and tasks.md) or a Spec Kit feature folder
 * (spec.md, plan.md, tasks.md) becomes one of our specs under `spec/active/` (a Mustard folder:
 * mustard.ts), keeping every
 * id, criterion, task and link of the source (renderForeign.ts). Tasks go to the layers owning
 * the files they name, or to the layer decided at import (layerGuess.ts); what no layer owns is
 * listed, and approving such a spec asks first, as for any spec. It is then implemented through
 * the same gates. A format is one reader file producing a ForeignSpec (foreignSpec.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import type { OrchestratorConfig } from '../project/config';
import { createSpec, layersWithWork, specWork, withTemplateHeader } from '../project/specs';
import { EngineUsageError } from '../errors';
import { hasProblems, specLinkProblems } from '../trace';
import { foreignFormat, isDirectory } from './foreignFormat';
import type { ImportedSpec } from './importedSpec';
import { importMustardFolder } from './mustard';
import { readKiro } from './kiro';
import { layerRoles } from './layerRoles';
import { emptyNameIndex, indexLines, scanDefinitions } from './nameIndex';
import { namesFile, renderForeign } from './renderForeign';
import type { ForeignSpec } from './foreignSpec';
import { taskText, type PlacementHints } from './taskPlacement';
import { readSpecKit } from './specKit';

export type { ImportedSpec } from './importedSpec';

/** What a folder without tasks.md needs first (`specs` says it too). */
export const TASKS_FIRST = {
  kiro: 'let Kiro write the task list (or write it)',
  speckit: 'run /speckit.tasks (or write tasks.md)',
} as const;

export async function importSpecFolder(
  workspace: string,
  folder: string,
  config: OrchestratorConfig,
): Promise<ImportedSpec> {
  const dir = isAbsolute(folder) ? folder : resolve(workspace, folder);
  const format = foreignFormat(dir);
  if (format === 'mustard') return importMustardFolder(workspace, dir, config);
  if (!format) {
    throw new EngineUsageError(
      `${folder} is neither a Kiro spec folder (requirements.md or bugfix.md, design.md, tasks.md) nor a Spec Kit feature folder (spec.md, plan.md, tasks.md), nor a Mustard spec folder (spec.md, meta.json, plan.json)${isDirectory(dir) ? '' : ': no such folder'}`,
    );
  }
  const read = (name: string) =>
    existsSync(resolve(dir, name)) ? readFileSync(resolve(dir, name), 'utf8') : undefined;
  if (read('tasks.md') === undefined)
    throw new EngineUsageError(`${folder} has no tasks.md yet: ${TASKS_FIRST[format]}, then approve the folder`);
  const name = basename(dir);
  const foreign =
    format === 'kiro'
      ? readKiro(
          {
            ...optional('requirements', read('requirements.md')),
            ...optional('bugfix', read('bugfix.md')),
            ...optional('design', read('design.md')),
            tasks: read('tasks.md')!,
          },
          name,
        )
      : readSpecKit({ spec: read('spec.md')!, tasks: read('tasks.md')!, ...optional('plan', read('plan.md')) }, name);
  const shown = relative(workspace, dir).split('\\').join('/') || '.';
  // A folder whose tasks cannot be read would "complete" with nothing done: that is an error, not an empty success.
  if (foreign.tasks.length === 0) {
    const expected =
      format === 'kiro'
        ? '"- [ ] 1. …" / "- [ ] 1.1 …" checkbox items'
        : '"- [ ] T001 …" items or "### T001: …" headings (ids such as T010a or T2-001)';
    throw new EngineUsageError(`${shown}/tasks.md: no task could be read (expected ${expected}); nothing was imported`);
  }
  const today = new Date().toISOString().slice(0, 10);
  const markdown = withTemplateHeader(
    renderForeign(foreign, shown, config, await placementHints(workspace, foreign, config)),
    foreign.title,
    today,
    'awaiting-approval',
  );
  const spec = await createSpec(workspace, {
    title: foreign.title,
    slug: name.replace(/^\d+-/, ''),
    kind: 'feature',
    layers: layersWithWork(markdown, config, Object.keys(config.layers)),
    source: shown,
    markdown,
  });
  const work = specWork(spec.body, config);
  const problems = specLinkProblems(spec.body, work.tasks);
  const warnings = [...foreign.warnings];
  if (hasProblems(problems)) {
    problems.tasksWithoutRequirement.forEach((p) => warnings.push(`task cites no requirement: ${p.text}`));
    problems.requirementsWithoutTask.forEach((p) =>
      warnings.push(`requirement no task cites (not linked in the source; the review judges it): ${p.text}`),
    );
  }
  return {
    specId: spec.id,
    specPath: spec.path,
    format,
    source: shown,
    requirements: foreign.requirements.length,
    tasks: foreign.tasks.filter((t) => !t.group).length,
    // Lines of spec.md on disk (front matter included), as the sidebar and `specs` show them.
    unowned: specWork(readFileSync(resolve(workspace, spec.path), 'utf8'), config).unowned,
    warnings,
  };
}

/** The census's roles, and the names the folder and (only when some open task names no file) the repository define. */
async function placementHints(
  workspace: string,
  foreign: ForeignSpec,
  config: OrchestratorConfig,
): Promise<PlacementHints> {
  const names = indexLines(
    [...foreign.tasks.map(taskText), ...(foreign.design?.text.split('\n') ?? [])],
    config,
    emptyNameIndex(),
  );
  const needed = foreign.tasks.some((t) => !t.done && !t.group && !namesFile(t, config));
  return {
    roles: await layerRoles(workspace, config),
    names: needed ? await scanDefinitions(workspace, config, names) : names,
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
