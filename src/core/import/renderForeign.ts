/**
 * A foreign spec as our spec.md: requirements with the source's ids (and whether the source
 * links them to any task), the design or plan as written, files by owning layer, and the tasks
 * in their order — groups as lines of their own, each task with its source id, what it cites,
 * its state in the source and, when it names no file, the layer decided for it at import.
 */
import { layerOwning, type OrchestratorConfig } from '../project/config';
import { namedPaths } from '../project/specs';
import { DEFERRED_IN_SOURCE, DONE_BEFORE_IMPORT, groupLine, NOT_IMPLEMENTABLE, NOT_LINKED } from '../trace';
import type { ForeignSpec, ForeignTask } from './foreignSpec';
import { NO_LAYER } from './layerPicks';
import { emptyNameIndex } from './nameIndex';
import { placeTask, taskText, type PlacementHints } from './taskPlacement';

const ORIGIN = { kiro: 'Kiro spec folder', speckit: 'Spec Kit feature folder' } as const;

export function renderForeign(
  foreign: ForeignSpec,
  source: string,
  config: OrchestratorConfig,
  hints: PlacementHints = { roles: new Map(), names: emptyNameIndex() },
): string {
  const work = foreign.tasks.filter((t) => !t.group);
  const lines = [
    `## Spec: ${oneLine(foreign.title)}`,
    '',
    '### Summary',
    `${foreign.summary ? `${oneLine(foreign.summary)} ` : ''}(Imported from the ${foreign.kind === 'bugfix' ? 'bug spec in the ' : ''}${ORIGIN[foreign.format]} \`${source}\`: ${(foreign.files ?? []).join(', ')}; ids and task numbers kept.${work.length > 0 && work.every((t) => t.done) ? ' Every task was done before import: nothing is left to implement.' : ''})`,
    '',
    '### Requirements',
    '',
    ...requirementLines(foreign),
  ];
  if (foreign.design) {
    const fence = '`'.repeat(Math.max(3, ...[...foreign.design.text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
    lines.push(
      `### Design (${foreign.design.file})`,
      `${fence}markdown`,
      foreign.design.text.replace(/\s+$/, ''),
      fence,
      '',
    );
  }
  lines.push(...fileLines(foreign.tasks, config), ...taskLines(foreign, config, hints));
  if (foreign.checklists?.length) {
    lines.push(
      '### Checklists of tasks.md (not tasks: kept as written)',
      ...foreign.checklists.map((c) => `- ${oneLine(c)}`),
      '',
    );
  }
  lines.push('### Dependencies', '- None', '');
  return lines.join('\n');
}

function requirementLines(foreign: ForeignSpec): string[] {
  const lines: string[] = [];
  for (const req of foreign.requirements) {
    const ids = new Set([req.id, ...req.criteria.map((c) => c.id)]);
    const citing = foreign.tasks.filter((t) => !t.group && t.cites.some((id) => ids.has(id)));
    lines.push(`#### ${req.id}: ${oneLine(req.title)}`);
    if (req.story) lines.push(`**User story:** ${oneLine(req.story)}`);
    lines.push('**Acceptance criteria**', ...req.criteria.map((c) => `- ${c.id}: ${oneLine(c.text)}`));
    if (citing.length === 0)
      lines.push(`*${NOT_LINKED}: no task of the folder cites ${req.id}; the review judges it with the rest.*`);
    else if (citing.every((t) => t.done))
      lines.push(
        `*Done before import: every task citing ${req.id} (${citing.map((t) => t.ref).join(', ')}) was ticked in the source.*`,
      );
    lines.push('');
  }
  return lines;
}

/** The files open tasks name, by owning layer (what done tasks name is listed ticked; what deferred ones name, not at all). */
function fileLines(tasks: readonly ForeignTask[], config: OrchestratorConfig): string[] {
  const byLayer = new Map<string, Map<string, boolean>>();
  for (const task of tasks) {
    if (task.group || task.state === 'deferred') continue;
    // Files, not folders: a folder a task mentions is context, not a file to create.
    for (const path of namedPaths(taskText(task)).filter((p) => /\.[A-Za-z0-9]{1,10}$/.test(p) && !p.includes('*'))) {
      const layer = layerOwning(config, path);
      if (!layer) continue;
      const files = byLayer.get(layer) ?? byLayer.set(layer, new Map()).get(layer)!;
      files.set(path, (files.get(path) ?? true) && task.done);
    }
  }
  const lines = ['### Files to Create/Modify', ''];
  for (const layer of Object.keys(config.layers)) {
    const files = byLayer.get(layer);
    if (!files) continue;
    lines.push(
      `#### ${layer.charAt(0).toUpperCase()}${layer.slice(1)}`,
      ...[...files].map(([path, done]) => `- [${done ? 'x' : ' '}] \`${path}\``),
      '',
    );
  }
  return lines;
}

function taskLines(foreign: ForeignSpec, config: OrchestratorConfig, hints: PlacementHints): string[] {
  const lines = ['### Tasks', ''];
  let n = 0;
  let inList = false;
  for (const task of foreign.tasks) {
    const cites = task.cites.length ? ` (${task.cites.join(', ')})` : '';
    if (task.group) {
      // A group is not work: a line of its own (not a list item), its sub-tasks below it.
      lines.push(
        ...(inList ? [''] : []),
        groupLine(task.ref, `${oneLine(task.text)}${cites} — ${stateText(task) ?? 'open in the source'}`),
        '',
      );
      inList = false;
      continue;
    }
    const deferred = task.state === 'deferred';
    const layer = task.done || deferred ? undefined : layerNote(task, foreign, config, hints);
    const notes = [stateText(task), layer].filter((note): note is string => note !== undefined);
    // Process, not code, or deferred in the source: ticked with its reason, so no agent is given it and COMPLETE does not wait for a file.
    const ticked = task.done || deferred || layer?.startsWith(NOT_IMPLEMENTABLE) === true;
    lines.push(
      `${++n}. [${ticked ? 'x' : ' '}] ${task.ref} ${oneLine(taskText(task))}${cites}${notes.map((note) => ` — ${note}`).join('')}`,
    );
    inList = true;
  }
  lines.push('');
  return lines;
}

function stateText(task: ForeignTask): string | undefined {
  if (task.done) return DONE_BEFORE_IMPORT;
  if (task.state === 'in-progress') return 'in progress in the source';
  if (task.state === 'deferred') return DEFERRED_IN_SOURCE;
  if (task.state === 'optional') return 'optional in the source';
  return undefined;
}

/**
 * A task naming a file goes by that file (when no layer owns it, it is listed as such: no agent
 * may write it); a task naming none gets the layer taskPlacement.ts finds, is recorded as not
 * implementable (process, not code), or gets none.
 */
function layerNote(
  task: ForeignTask,
  foreign: ForeignSpec,
  config: OrchestratorConfig,
  hints: PlacementHints,
): string | undefined {
  if (namesFile(task, config)) return undefined;
  const placed = placeTask(task, foreign, config, hints);
  if (!placed) return NO_LAYER;
  return 'notImplementable' in placed
    ? `${NOT_IMPLEMENTABLE}: ${placed.notImplementable}`
    : `layer: ${placed.layer} (from ${placed.from})`;
}

/** The task names a file (owned or not) or a folder a layer owns: it goes by that, not by placement. */
export function namesFile(task: ForeignTask, config: OrchestratorConfig): boolean {
  return namedPaths(taskText(task)).some(
    (path) => layerOwning(config, path) !== undefined || /\.[A-Za-z0-9]{1,10}$/.test(path),
  );
}

function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ').trim();
}
