/**
 * UNDERSTAND (seed 002 Phase 1), without a model call: find the entity the request is
 * about in the registry and the memory graph. Known → the layers its observations name
 * (all layers when they name none); unknown or new → every layer.
 */
import type { OrchestratorConfig } from '../project/config';
import type { MemoryGraph } from '../project/memory';
import { findEntity, patternOf, type EntityRegistry } from '../project/registry';
import type { Understanding } from './facts';

export interface UnderstandInput {
  config: OrchestratorConfig;
  registry: EntityRegistry;
  memory: MemoryGraph;
}

/** "Add a Product entity", "create a new Invoice model": a name the request introduces. */
const NEW_ENTITY = [
  /\b(?:add|create|introduce|new)\s+(?:an?\s+|the\s+)?(?:new\s+)?([A-Z][A-Za-z0-9]*)\s+(?:entity|model|resource|table|type)\b/,
  /\b(?:new\s+)(?:entity|model|resource)\s+(?:called\s+|named\s+)?`?([A-Z][A-Za-z0-9]*)`?/i,
  /\b([A-Z][A-Za-z0-9]*)\s+entity\b/,
];

export function understand(request: string, input: UnderstandInput): Understanding {
  const allLayers = Object.keys(input.config.layers);
  const introduced = introducedName(request);
  const name = introduced ?? mentionedKnownName(request, input);
  if (name === undefined) return { entity: null, known: false, layers: allLayers, pattern: null };

  const inRegistry = findEntity(input.registry, name);
  const inMemory = input.memory.entities.find((e) => e.name.toLowerCase() === name.toLowerCase());
  const entity = inRegistry?.name ?? inMemory?.name ?? name;
  if (!inRegistry && !inMemory) return { entity, known: false, layers: allLayers, pattern: null };

  const observations = (inMemory?.observations ?? []).join('\n');
  const named = allLayers.filter((layer) => mentionsWord(observations, layer));
  return {
    entity,
    known: true,
    layers: named.length > 0 ? named : allLayers,
    pattern: inRegistry ? (patternOf(input.registry, entity) ?? null) : null,
  };
}

function introducedName(request: string): string | undefined {
  for (const pattern of NEW_ENTITY) {
    const name = pattern.exec(request)?.[1];
    if (name && !/^(?:New|The|An?|This|That)$/.test(name)) return name;
  }
  return undefined;
}

/** The known entity the request mentions first (registry names, then memory entities). */
function mentionedKnownName(request: string, input: UnderstandInput): string | undefined {
  const candidates = [
    ...Object.keys(input.registry.document.e ?? {}),
    ...input.memory.entities.filter((e) => e.entityType.toLowerCase() !== 'convention').map((e) => e.name),
  ];
  let best: { name: string; at: number } | undefined;
  for (const name of candidates) {
    const at = wordIndex(request, name);
    if (at >= 0 && (best === undefined || at < best.at)) best = { name, at };
  }
  return best?.name;
}

/** Position of `word` (or its plural) as a whole word, case-insensitive; -1 when absent. */
function wordIndex(text: string, word: string): number {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`(?:^|[^A-Za-z0-9_])(${escaped}(?:e?s)?)(?![A-Za-z0-9_])`, 'i').exec(text);
  return match ? match.index : -1;
}

function mentionsWord(text: string, word: string): boolean {
  return wordIndex(text, word) >= 0;
}

/** A few lines for the spec and diagnose agents: what UNDERSTAND found. */
export function describeUnderstanding(u: Understanding): string {
  const what = u.entity === null
    ? 'No specific entity identified: treat it as a change across the project.'
    : u.known
      ? `Entity: ${u.entity} (existing — a modification or new functionality)`
      : `Entity: ${u.entity} (new — not in the registry or the memory graph)`;
  const lines = [what, `Layers involved: ${u.layers.join(', ')}`];
  if (u.pattern) lines.push(`Pattern: ${u.pattern}`);
  return lines.join('\n');
}
