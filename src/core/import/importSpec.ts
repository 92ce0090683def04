/**
 * Bring your spec (issue 10): a Kiro spec folder (requirements.md, design.md, tasks.md) or a
 * Spec Kit feature folder (spec.md, plan.md, tasks.md) becomes one of our specs under
 * `spec/active/`, keeping its requirement ids, criteria and task links. Tasks go to the layers
 * owning the files they name (specTasks.ts); what no layer owns is listed, and approving such a
 * spec asks first, as for any spec. It is then implemented through the same gates.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { layerOwning, type OrchestratorConfig } from '../project/config/config';
import { createSpec } from '../project/specs/specs';
import { namedPaths } from '../project/specs/specTasks';
import { specWork } from '../project/specs/specWork';
import { layersWithWork, withTemplateHeader } from '../pipeline/phases/specDocument';
import { EngineUsageError } from '../errors';
import { hasProblems, specLinkProblems } from '../trace/specLinks';
import { isMustardSpecFolder } from '../mustard/specFolder';
import type { ForeignSpec } from './foreignSpec';
import type { ImportedSpec } from './importedSpec';
import { importMustardFolder } from './mustard';
import { readKiro } from './kiro';
import { readSpecKit } from './specKit';

export type { ImportedSpec } from './importedSpec';

/** The folder's format, or undefined when it is neither a Kiro, a Spec Kit nor a Mustard folder. */
export function foreignFormat(dir: string): ImportedSpec['format'] | undefined {
  if (!isDirectory(dir)) return undefined;
  const has = (name: string) => existsSync(resolve(dir, name));
  if (has('requirements.md') && has('tasks.md')) return 'kiro';
  if (has('spec.md') && has('tasks.md')) return 'speckit';
  if (isMustardSpecFolder(dir)) return 'mustard';
  return undefined;
}

export async function importSpecFolder(workspace: string, folder: string, config: OrchestratorConfig): Promise<ImportedSpec> {
  const dir = isAbsolute(folder) ? folder : resolve(workspace, folder);
  const format = foreignFormat(dir);
  if (format === 'mustard') return importMustardFolder(workspace, dir, config);
  if (!format) {
    throw new EngineUsageError(
      `${folder} is neither a Kiro spec folder (requirements.md, design.md, tasks.md) nor a Spec Kit feature folder (spec.md, plan.md, tasks.md), nor a Mustard spec folder (spec.md, meta.json, plan.json)${isDirectory(dir) ? '' : ': no such folder'}`,
    );
  }
  const read = (name: string) => (existsSync(resolve(dir, name)) ? readFileSync(resolve(dir, name), 'utf8') : undefined);
  const name = basename(dir);
  const foreign =
    format === 'kiro'
      ? readKiro({ requirements: read('requirements.md')!, tasks: read('tasks.md')!, ...optional('design', read('design.md')) }, name)
      : readSpecKit({ spec: read('spec.md')!, tasks: read('tasks.md')!, ...optional('plan', read('plan.md')) }, name);
  const shown = relative(workspace, dir).split('\\').join('/') || '.';
  const today = new Date().toISOString().slice(0, 10);
  const markdown = withTemplateHeader(renderForeign(foreign, shown, config), foreign.title, today, 'awaiting-approval');
  const spec = await createSpec(workspace, {
    title: foreign.title,
    slug: name.replace(/^\d+-/, ''),
    kind: 'feature',
    layers: layersWithWork(markdown, config, Object.keys(config.layers)),
    markdown,
  });
  const work = specWork(spec.body, config);
  const problems = specLinkProblems(spec.body, work.tasks);
  const warnings = [...foreign.warnings];
  if (hasProblems(problems)) {
    problems.tasksWithoutRequirement.forEach((p) => warnings.push(`task cites no requirement: ${p.text}`));
    problems.requirementsWithoutTask.forEach((p) => warnings.push(`requirement no task cites: ${p.text}`));
  }
  return {
    specId: spec.id,
    specPath: spec.path,
    format,
    source: shown,
    requirements: foreign.requirements.length,
    tasks: foreign.tasks.length,
    // Lines of spec.md on disk (front matter included), as the sidebar and `specs` show them.
    unowned: specWork(readFileSync(resolve(workspace, spec.path), 'utf8'), config).unowned,
    warnings,
  };
}

/** Our spec's markdown: requirements, the design as written, files by owning layer, the tasks in their order. */
export function renderForeign(foreign: ForeignSpec, source: string, config: OrchestratorConfig): string {
  const origin = foreign.format === 'kiro' ? 'Kiro spec folder' : 'Spec Kit feature folder';
  const files = foreign.format === 'kiro' ? 'requirements.md, design.md, tasks.md' : 'spec.md, plan.md, tasks.md';
  const lines = [
    `## Spec: ${oneLine(foreign.title)}`,
    '',
    '### Summary',
    `${foreign.summary ? `${oneLine(foreign.summary)} ` : ''}(Imported from the ${origin} \`${source}\`: ${files}; ids and task numbers kept.)`,
    '',
    '### Requirements',
    '',
  ];
  for (const req of foreign.requirements) {
    lines.push(`#### ${req.id}: ${oneLine(req.title)}`);
    if (req.story) lines.push(`**User story:** ${oneLine(req.story)}`);
    lines.push('**Acceptance criteria**', ...req.criteria.map((c) => `- ${c.id}: ${oneLine(c.text)}`), '');
  }
  if (foreign.design) {
    const fence = '`'.repeat(Math.max(3, ...[...foreign.design.text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
    lines.push(`### Design (${foreign.design.file})`, `${fence}markdown`, foreign.design.text.trim(), fence, '');
  }
  const byLayer = new Map<string, Set<string>>();
  for (const task of foreign.tasks) {
    // Files, not folders: a folder a task mentions is context, not a file to create.
    for (const path of namedPaths(task.text).filter((p) => /\.[A-Za-z0-9]{1,10}$/.test(p))) {
      const layer = layerOwning(config, path);
      if (layer) (byLayer.get(layer) ?? byLayer.set(layer, new Set()).get(layer)!).add(path);
    }
  }
  lines.push('### Files to Create/Modify', '');
  for (const layer of Object.keys(config.layers)) {
    const paths = byLayer.get(layer);
    if (!paths) continue;
    lines.push(`#### ${layer.charAt(0).toUpperCase()}${layer.slice(1)}`, ...[...paths].map((p) => `- [ ] ${p}`), '');
  }
  lines.push('### Tasks');
  foreign.tasks.forEach((task, index) => {
    const cites = task.cites.length ? ` (${task.cites.join(', ')})` : '';
    lines.push(`${index + 1}. [${task.done ? 'x' : ' '}] ${task.ref} ${oneLine(task.text)}${cites}`);
  });
  lines.push('', '### Dependencies', '- None', '');
  return lines.join('\n');
}

function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ').trim();
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
