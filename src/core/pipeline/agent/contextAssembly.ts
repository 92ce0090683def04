/**
 * The stable context of each agent (cached by the client): its compiled context file, the
 * registry entry of the entity (pattern → reference module from `_patterns`, refs, subs,
 * related enums), the memory graph's observations about it, and what it works from (a
 * layer's approved spec and tasks, the spec a review checks against). What changes per
 * attempt is not here: it goes into the task message. A layer agent's context comes in
 * two parts: what every layer agent of the run is sent alike (the layer rules, registry
 * entry, memory, approved spec), sent first so the layers share it in the prompt cache,
 * and its own.
 */
import { grainSummary, guardsForLayer, guardsText } from '../../mustard';
import { loadAgentContext } from '../../project/context';
import {
  type EntityRegistry,
  findMemoryEntity,
  type MemoryGraph,
  openNodes,
  relationsOf,
} from '../../project/registry';
import { agentContext, layerRules, layerTasksSection, specSection } from './prompts';
import { registryText, type EntityFocus } from './registryContext';
import type { RunContext } from '../kernel';

export type { EntityFocus } from './registryContext';

interface ContextParts {
  contextFile?: string;
  /** The CLAUDE.md guards for this agent: a layer's folders and the root, the root for the others. */
  guards?: string;
  registry: string;
  /** Without an entity registry: Mustard's grain model, summarised (a layer's own part, or all of it). */
  projectMap?: string;
  memory: string[];
}

interface Assembled {
  registry: EntityRegistry;
  memory: MemoryGraph;
  parts: Promise<ContextParts>;
}

/** Per run: agent + focus → its context parts, so attempts neither re-read nor re-build them. */
const assembledByRun = new WeakMap<RunContext, Map<string, Assembled>>();

function contextParts(ctx: RunContext, agent: string, focus: EntityFocus): Promise<ContextParts> {
  const byKey = assembledByRun.get(ctx) ?? new Map<string, Assembled>();
  assembledByRun.set(ctx, byKey);
  const key = `${agent}\u0000${focus.name ?? ''}\u0000${focus.pattern ?? ''}`;
  let entry = byKey.get(key);
  // A sync re-reads the registry and memory into new objects: assemble again from those.
  if (!entry || entry.registry !== ctx.registry || entry.memory !== ctx.memory) {
    entry = { registry: ctx.registry, memory: ctx.memory, parts: buildParts(ctx, agent, focus) };
    byKey.set(key, entry);
    entry.parts.catch(() => byKey.delete(key)); // a failed read is tried again next time
  }
  return entry.parts;
}

async function buildParts(ctx: RunContext, agent: string, focus: EntityFocus): Promise<ContextParts> {
  const file = await loadAgentContext(ctx.workspace, ctx.config, agent);
  // A run on the census in memory has its layers' instructions in memory too.
  const inMemory = file.content === undefined ? ctx.contexts?.[agent] : undefined;
  const content = file.content ?? inMemory;
  if (file.warning && inMemory === undefined) ctx.warn(file.warning);
  const { grain, guards } = ctx.mustard;
  const isLayer = Object.hasOwn(ctx.config.layers, agent);
  const guardsOf = guardsText(isLayer ? guardsForLayer(ctx.config, agent, guards) : guards.filter((g) => g.dir === ''));
  const projectMap =
    grain && ctx.registry.entities.size === 0
      ? grainSummary(grain, ctx.config, isLayer ? agent : undefined)
      : undefined;
  return {
    ...(content ? { contextFile: content } : {}),
    ...(guardsOf ? { guards: guardsOf } : {}),
    registry: registryText(ctx.registry, focus),
    ...(projectMap ? { projectMap } : {}),
    memory: memoryObservations(ctx.memory, focus.name),
  };
}

/** The spec, review and diagnose agents' context: one block, `brief` last. */
export async function assembleContext(
  ctx: RunContext,
  agent: string,
  focus: EntityFocus,
  brief?: string,
): Promise<string | undefined> {
  const base = agentContext(await contextParts(ctx, agent, focus));
  if (!brief) return base;
  return base ? `${base}\n\n${brief}` : brief;
}

/**
 * A layer agent's context: `shared` (the layer rules, registry entry, memory, approved
 * spec) is the same for every layer of the run; `context` (its compiled context file and
 * its own tasks) is not.
 */
export async function assembleLayerContext(
  ctx: RunContext,
  layer: string,
  focus: EntityFocus,
  work: { spec: string; tasks: string },
): Promise<{ shared: string; context: string }> {
  const { contextFile, guards, registry, projectMap, memory } = await contextParts(ctx, layer, focus);
  const project = agentContext({ registry, memory });
  // Guards and the project map differ per layer: they go with the layer's own part, not the shared one.
  const own = agentContext({
    ...(contextFile ? { contextFile } : {}),
    ...(guards ? { guards } : {}),
    ...(projectMap ? { projectMap } : {}),
  });
  return {
    shared: [layerRules(), project, specSection(work.spec)].filter(Boolean).join('\n\n'),
    context: [own, layerTasksSection(layer, work.tasks)].filter(Boolean).join('\n\n'),
  };
}

/**
 * The entity's observations, those of entities it relates to (one hop), and the project's
 * conventions; for an unknown entity only the conventions.
 */
export function memoryObservations(memory: MemoryGraph, entity: string | null): string[] {
  const out: string[] = [];
  const own = entity ? findMemoryEntity(memory, entity) : undefined;
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
