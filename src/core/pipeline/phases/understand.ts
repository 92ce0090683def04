/**
 * UNDERSTAND (seed 002 Phase 1), without a model call: find the entity the request is
 * about in the registry and the memory graph. Known → the layers its observations name
 * (all layers when they name none); unknown or new → every layer.
 *
 * Names are found by looking the request's words up in indexes built once per load
 * (the registry's lower-case index, the memory graph's name map), never by trying every
 * name against the request: a registry can hold tens of thousands of entities.
 */
import { grainMention, type GrainModel, relatedModules } from '../../mustard';
import { layerOwning, type OrchestratorConfig } from '../../project/config';
import {
  type EntityRegistry,
  findEntity,
  type MemoryGraph,
  memoryIndex,
  patternOf,
  spellingKey,
} from '../../project/registry';
import type { Understanding } from '../kernel';

export interface UnderstandInput {
  config: OrchestratorConfig;
  registry: EntityRegistry;
  memory: MemoryGraph;
  /** Mustard's project map: used when the project has no entity registry. */
  mustard?: { grain?: GrainModel };
}

/** "Add a Product entity", "create a new Invoice model": a name the request introduces. */
const NEW_ENTITY = [
  /\b(?:add|create|introduce|new)\s+(?:an?\s+|the\s+)?(?:new\s+)?([A-Z][A-Za-z0-9]*)\s+(?:entity|model|resource|table|type)\b/,
  /\b(?:new\s+)(?:entity|model|resource)\s+(?:called\s+|named\s+)?`?([A-Z][A-Za-z0-9]*)`?/i,
  /\b([A-Z][A-Za-z0-9]*)\s+entity\b/,
];

export function understand(request: string, input: UnderstandInput): Understanding {
  const understood = understandEntity(request, input);
  // The grain model is the project map only where there is no entity registry (as fromGrainModel).
  const grain = input.registry.entities.size === 0 ? input.mustard?.grain : undefined;
  const modules = grain ? relatedModules(request, grain) : [];
  return modules.length > 0 ? { ...understood, modules } : understood;
}

function understandEntity(request: string, input: UnderstandInput): Understanding {
  const allLayers = Object.keys(input.config.layers);
  const introduced = introducedName(request);
  const name = introduced ?? mentionedKnownName(request, input);
  if (name === undefined)
    return fromGrainModel(request, input) ?? { entity: null, known: false, layers: allLayers, pattern: null };

  const inRegistry = findEntity(input.registry, name);
  const inMemory = memoryIndex(input.memory).all.get(name.toLowerCase());
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

/**
 * Without an entity registry, a name the grain model knows (a convention's entity, a module
 * named after it with a role's affix): known, its layers those owning its modules.
 */
function fromGrainModel(request: string, input: UnderstandInput): Understanding | undefined {
  const grain = input.mustard?.grain;
  if (!grain || input.registry.entities.size > 0) return undefined;
  const mention = grainMention(request, grain);
  if (!mention) return undefined;
  const allLayers = Object.keys(input.config.layers);
  const owners = new Set(
    mention.paths.map((path) => layerOwning(input.config, path)).filter((l): l is string => l !== undefined),
  );
  return {
    entity: mention.name,
    known: true,
    layers: owners.size > 0 ? allLayers.filter((l) => owners.has(l)) : allLayers,
    pattern: mention.convention ?? null,
  };
}

function introducedName(request: string): string | undefined {
  for (const pattern of NEW_ENTITY) {
    const name = pattern.exec(request)?.[1];
    if (name && !/^(?:New|The|An?|This|That)$/.test(name)) return name;
  }
  return undefined;
}

/** A known name found in the request: where, and how it ranks against others found at the same place. */
interface Mention {
  name: string;
  /** Index of the mention, as a whole-word match reports it (the boundary character before the name). */
  at: number;
  /** 0 registry, 1 memory graph: registry names win a tie, as they are tried first. */
  source: 0 | 1;
  /** Characters of the request it spans (variants: longer is more specific). */
  length: number;
}

/**
 * The known entity the request mentions first (registry names, then memory entities that
 * are not conventions). A name counts as written — any case, as a whole word, optionally
 * with a plural `s`/`es` — and, only when no name is written so, in another spelling of
 * the same words: CamelCase, kebab-case, snake_case or separate words (`order line`,
 * `order-lines`, `order_line` → OrderLine) and `-ies` plurals (`categories` → Category).
 */
export function mentionedKnownName(request: string, input: UnderstandInput): string | undefined {
  const memory = memoryIndex(input.memory);
  const lookup = (lower: string): { name: string; source: 0 | 1 } | undefined => {
    const inRegistry = input.registry.index.get(lower);
    if (inRegistry !== undefined) return { name: inRegistry, source: 0 };
    const inMemory = memory.subjects.get(lower);
    return inMemory ? { name: inMemory.name, source: 1 } : undefined;
  };
  let longest = memory.longestName;
  for (const lower of input.registry.index.keys()) if (lower.length > longest) longest = lower.length;
  const written = writtenMentions(request, lookup, longest);
  if (written.length > 0) return earliest(written, input, false);
  const spelled = spelledMentions(request, input.registry, memory.subjects, longest);
  return spelled.length > 0 ? earliest(spelled, input, true) : undefined;
}

const isWordChar = (code: number): boolean =>
  (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;

/**
 * Every span of the request that starts and ends on a word boundary (as `\b` sees words:
 * letters, digits, `_`) and is a known name, or a known name plus `s`/`es`.
 */
function writtenMentions(
  request: string,
  lookup: (lower: string) => { name: string; source: 0 | 1 } | undefined,
  longest: number,
): Mention[] {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i <= request.length; i++) {
    if (i < request.length && (i === 0 || !isWordChar(request.charCodeAt(i - 1)))) starts.push(i);
    if (i > 0 && (i === request.length || !isWordChar(request.charCodeAt(i)))) ends.push(i);
  }
  const found: Mention[] = [];
  for (const start of starts) {
    for (const end of ends) {
      if (end <= start) continue;
      if (end - start > longest + 2) break;
      const span = request.slice(start, end).toLowerCase();
      const forms = [span];
      if (span.endsWith('s')) forms.push(span.slice(0, -1));
      if (span.endsWith('es')) forms.push(span.slice(0, -2));
      for (const form of forms) {
        const hit = form.length > 0 ? lookup(form) : undefined;
        if (hit) found.push({ ...hit, at: start === 0 ? 0 : start - 1, length: end - start });
      }
    }
  }
  return found;
}

const spellingIndexes = new WeakMap<object, { size: number; keys: Map<string, string[]> }>();

type NameIndex = Map<string, string> | Map<string, { name: string }>;
const nameIn = (entry: string | { name: string }): string => (typeof entry === 'string' ? entry : entry.name);

/**
 * spelling key → names, for the names of a lower-case index (registry or memory) that hold
 * anything but letters and digits; every other name's key is its lower-case form, which the
 * index itself answers. Built once per index (and again when it grows).
 */
function oddSpellings(index: NameIndex): Map<string, string[]> {
  const cached = spellingIndexes.get(index);
  if (cached && cached.size === index.size) return cached.keys;
  const keys = new Map<string, string[]>();
  const odd = /[^a-z0-9]/;
  for (const [lower, entry] of index as Map<string, string | { name: string }>) {
    if (!odd.test(lower)) continue;
    const key = spellingKey(lower);
    if (key !== '') keys.set(key, [...(keys.get(key) ?? []), nameIn(entry)]);
  }
  spellingIndexes.set(index, { size: index.size, keys });
  return keys;
}

/**
 * Runs of consecutive request words (letters and digits, joined by one space, `-` or `_`)
 * whose joined spelling is a known name's, the last word also tried in the singular
 * (`-ies` → `-y`, `-es`, `-s`). A run starts and ends where a `\b` word does:
 * `CustomerAddress` and `customer_address` are not mentions of `Customer`.
 */
function spelledMentions(
  request: string,
  registry: EntityRegistry,
  memorySubjects: Map<string, { name: string }>,
  longest: number,
): Mention[] {
  const sources: [0 | 1, NameIndex][] = [
    [0, registry.index],
    [1, memorySubjects],
  ];
  const lookups = sources.map(([source, index]) => ({
    source,
    index: index as Map<string, string | { name: string }>,
    odd: oddSpellings(index),
  }));
  const words = [...request.matchAll(/[A-Za-z0-9]+/g)].map((m) => ({
    text: m[0].toLowerCase(),
    at: m.index,
    end: m.index + m[0].length,
  }));
  const found: Mention[] = [];
  for (let first = 0; first < words.length; first++) {
    const start = (words[first] as { at: number }).at;
    if (start > 0 && isWordChar(request.charCodeAt(start - 1))) continue;
    let joined = '';
    for (let last = first; last < words.length; last++) {
      const word = words[last] as { text: string; at: number; end: number };
      if (last > first && !/^(?:[ \t]+|[-_])$/.test(request.slice((words[last - 1] as { end: number }).end, word.at)))
        break;
      joined += word.text;
      if (joined.length > longest + 3) break;
      if (word.end < request.length && isWordChar(request.charCodeAt(word.end))) continue;
      const forms = [joined];
      if (joined.endsWith('ies')) forms.push(`${joined.slice(0, -3)}y`);
      if (joined.endsWith('es')) forms.push(joined.slice(0, -2));
      if (joined.endsWith('s')) forms.push(joined.slice(0, -1));
      for (const form of forms) {
        for (const { source, index, odd } of lookups) {
          const plain = index.get(form);
          const names = [...(plain !== undefined ? [nameIn(plain)] : []), ...(odd.get(form) ?? [])];
          for (const name of names) found.push({ name, at: start, source, length: word.end - start });
        }
      }
    }
  }
  return found;
}

/**
 * The first mention; at the same place a registry name beats a memory one, then (for other
 * spellings) the longer span, then the name tried first (registry key order, memory file order).
 */
function earliest(mentions: Mention[], input: UnderstandInput, preferLonger: boolean): string {
  const orders: Partial<Record<0 | 1, Map<string, number>>> = {};
  const rank = (m: Mention): number => {
    const order = (orders[m.source] ??= new Map(
      (m.source === 0 ? [...input.registry.entities.keys()] : input.memory.entities.map((e) => e.name))
        .map((name, i): [string, number] => [name, i])
        .reverse(),
    ));
    return order.get(m.name) ?? Number.MAX_SAFE_INTEGER;
  };
  let best = mentions[0] as Mention;
  for (const m of mentions.slice(1)) {
    if (m.at !== best.at) {
      if (m.at < best.at) best = m;
    } else if (m.source !== best.source) {
      if (m.source < best.source) best = m;
    } else if (preferLonger && m.length !== best.length) {
      if (m.length > best.length) best = m;
    } else if (m.name !== best.name && rank(m) < rank(best)) {
      best = m;
    }
  }
  return best.name;
}

/** Whether `word` (or its plural) occurs in `text` as a whole word, case-insensitively. */
function mentionsWord(text: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?:^|[^A-Za-z0-9_])${escaped}(?:e?s)?(?![A-Za-z0-9_])`, 'i').test(text);
}

/** A few lines for the spec and diagnose agents: what UNDERSTAND found. */
export function describeUnderstanding(u: Understanding): string {
  const what =
    u.entity === null
      ? 'No specific entity identified: treat it as a change across the project.'
      : u.known
        ? `Entity: ${u.entity} (existing — a modification or new functionality)`
        : `Entity: ${u.entity} (new — not in the registry or the memory graph)`;
  const lines = [what, `Layers involved: ${u.layers.join(', ')}`];
  if (u.pattern) lines.push(`Pattern: ${u.pattern}`);
  if (u.modules?.length)
    lines.push(
      `Modules related to the request (their paths carry its words; from .claude/grain.model.json): ${u.modules.map((m) => `\`${m}\``).join(', ')}. Read them before writing the spec.`,
    );
  return lines.join('\n');
}
