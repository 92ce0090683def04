/**
 * What a Mustard project tells each agent, kept short: the guards of the folders a layer
 * owns (the root's go to every layer), and a summary of the grain model (projects, naming
 * conventions, conventions, most imported modules), never the model itself (it can be 2.4 MB).
 */
import { layerOwning, type OrchestratorConfig } from '../project/config';
import type { GrainModel } from './grainModel';
import type { FolderGuards } from './guards';
import { globBase, layerWorksIn, within } from './folders';

const MAX_PROJECTS = 20;
const MAX_ROLES = 15;
const MAX_CONVENTIONS = 12;
const MAX_ENTITIES = 10;
const MAX_FAN_IN = 8;

/** The guards for a layer: the root's, then those of every folder the layer works in or under. */
export function guardsForLayer(
  config: OrchestratorConfig,
  layer: string,
  guards: readonly FolderGuards[],
): FolderGuards[] {
  const bases = (config.layers[layer]?.owns ?? []).map(globBase);
  return guards.filter(
    (g) => g.dir === '' || layerOwning(config, g.file) === layer || bases.some((base) => within(base, g.dir)),
  );
}

export function guardsText(guards: readonly FolderGuards[]): string | undefined {
  if (guards.length === 0) return undefined;
  return guards
    .map((g) => `From ${g.file}${g.dir ? ` (applies to ${g.dir}/)` : ' (the whole repository)'}:\n${g.rules}`)
    .join('\n\n');
}

/**
 * The grain model in a few lines. For a layer (`layer` given), only its projects and the
 * naming conventions of the folders it owns; for the spec and review agents, all of them.
 */
export function grainSummary(model: GrainModel, config: OrchestratorConfig, layer?: string): string | undefined {
  const owned = (dir: string | undefined) =>
    dir !== undefined && layer !== undefined && layerWorksIn(config, layer, dir);
  const projects = model.projects.filter((p) => p.dir !== '' && (layer === undefined || owned(p.dir)));
  const roles = model.roles
    .filter((r) => layer === undefined || [r.commonDir, ...r.dirs].some(owned))
    .sort((a, b) => (b.count ?? 0) - (a.count ?? 0));
  const lines: string[] = [];
  const stacks = [...new Set([...model.detectedStacks, ...model.frameworks])];
  if (layer === undefined) {
    if (stacks.length > 0) lines.push(`Stacks and frameworks: ${stacks.slice(0, 20).join(', ')}`);
    if (model.languages.length > 0)
      lines.push(
        `Languages: ${model.languages
          .slice(0, 8)
          .map((l) => `${l.language}${l.files !== undefined ? ` (${l.files} files)` : ''}`)
          .join(', ')}`,
      );
  }
  if (projects.length > 0) {
    lines.push(layer === undefined ? 'Projects:' : 'Your projects:');
    for (const p of projects.slice(0, MAX_PROJECTS)) {
      const facts = [
        p.kind,
        p.frameworks.length ? p.frameworks.slice(0, 6).join(', ') : undefined,
        p.codeFiles !== undefined ? `${p.codeFiles} code files` : undefined,
      ].filter(Boolean);
      lines.push(`- ${p.name} (${p.dir}${facts.length ? `; ${facts.join('; ')}` : ''})`);
    }
    if (projects.length > MAX_PROJECTS) lines.push(`- … and ${projects.length - MAX_PROJECTS} more`);
  }
  if (roles.length > 0) {
    lines.push('Naming conventions (follow them for new files and types):');
    for (const r of roles.slice(0, MAX_ROLES)) {
      const pattern = r.kind === 'prefix' ? `${r.affix}*` : `*${r.affix}`;
      lines.push(
        `- ${pattern}${r.count !== undefined ? `: ${r.count} in the code` : ''}${r.commonDir ? `, mostly in ${r.commonDir}/` : ''}`,
      );
    }
  }
  const roleNames = new Set(roles.map((r) => r.affix));
  const conventions = model.conventions.filter((c) => layer === undefined || c.roles.some((r) => roleNames.has(r)));
  if (conventions.length > 0) {
    lines.push('Conventions:');
    for (const c of conventions.slice(0, MAX_CONVENTIONS)) {
      const entities = c.entities.length
        ? `; entities ${c.entities.slice(0, MAX_ENTITIES).join(', ')}${c.entities.length > MAX_ENTITIES ? ', …' : ''}`
        : '';
      lines.push(`- ${c.name}${c.roles.length ? `: roles ${c.roles.join(', ')}` : ''}${entities}`);
    }
  }
  const fanIn = model.topFanIn.filter((path) => layer === undefined || owned(path));
  if (fanIn.length > 0)
    lines.push(`Most imported modules (change with care): ${fanIn.slice(0, MAX_FAN_IN).join(', ')}`);
  if (lines.length === 0) return undefined;
  if (layer === undefined && model.modules.length > 0)
    lines.push(`(${model.modules.length} modules mapped in .claude/grain.model.json)`);
  return lines.join('\n');
}
