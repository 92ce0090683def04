/**
 * The stable context of each agent (cached by the client): its compiled context file, the
 * registry entry of the entity (pattern → reference module from `_patterns`, refs, subs,
 * related enums) and the memory graph's observations about it. Tasks are not here: they
 * change per attempt and go into the task message.
 */
import { loadAgentContext } from '../project/context';
import { openNodes, relationsOf, type MemoryGraph } from '../project/memory';
import { describeEntity, referenceModule, type EntityRegistry } from '../project/registry';
import { agentContext } from './prompts';
import type { RunContext } from './runContext';

export interface EntityFocus {
  name: string | null;
  /** For a new entity, the pattern the spec chose. */
  pattern?: string | null;
}

export async function assembleContext(ctx: RunContext, agent: string, focus: EntityFocus): Promise<string | undefined> {
  const file = await loadAgentContext(ctx.workspace, ctx.config, agent);
  if (file.warning) ctx.warn(file.warning);
  return agentContext({
    ...(file.content ? { contextFile: file.content } : {}),
    registry: registryText(ctx.registry, focus),
    memory: memoryObservations(ctx.memory, focus.name),
  });
}

/** The seed's ENTITY REGISTRY block: pattern and its reference module, refs, subs, enums. */
export function registryText(registry: EntityRegistry, focus: EntityFocus): string {
  const patterns = registry.document._patterns ?? {};
  const known = focus.name ? describeEntity(registry, focus.name) : undefined;
  const lines: string[] = [];
  if (focus.name) lines.push(`Entity: ${known?.name ?? focus.name}${known ? '' : ' (new)'}`);
  const pattern = known?.pattern ?? focus.pattern ?? undefined;
  if (pattern) {
    const reference = known?.referenceModule ?? referenceModule(registry, pattern);
    lines.push(`Pattern: ${pattern}${reference ? ` — reference module: ${reference}` : ''}`);
  } else if (Object.keys(patterns).length > 0) {
    lines.push(`Patterns (kind → reference module): ${Object.entries(patterns).map(([k, v]) => `${k} → ${v}`).join('; ')}`);
  }
  if (known) {
    lines.push(`Refs: ${known.refs.join(', ') || 'none'}`, `Subs: ${known.subs.join(', ') || 'none'}`);
    for (const [name, values] of Object.entries(known.enums)) lines.push(`Enum ${name}: ${JSON.stringify(values)}`);
  }
  const others = Object.keys(registry.document.e ?? {});
  if (others.length > 0) lines.push(`Entities in the registry: ${others.join(', ')}`);
  return lines.join('\n');
}

/**
 * The entity's observations, those of entities it relates to (one hop), and the project's
 * conventions; for an unknown entity only the conventions.
 */
export function memoryObservations(memory: MemoryGraph, entity: string | null): string[] {
  const out: string[] = [];
  const own = entity ? memory.entities.find((e) => e.name.toLowerCase() === entity.toLowerCase()) : undefined;
  if (own) {
    out.push(...own.observations);
    const related = relationsOf(memory, own.name).map((r) => (r.from === own.name ? r.to : r.from));
    for (const other of openNodes(memory, related).entities) {
      out.push(...other.observations.map((o) => `${other.name}: ${o}`));
    }
  }
  for (const convention of memory.entities.filter((e) => e.entityType.toLowerCase() === 'convention' && e !== own)) {
    out.push(...convention.observations.map((o) => `${convention.name}: ${o}`));
  }
  return [...new Set(out)];
}
